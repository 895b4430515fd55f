using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The verbs that steer the flow rather than talk to the caller: <c>branch</c>, <c>set</c>, <c>hangup</c>.</summary>
internal sealed class ControlStepReader(FlowYamlReader yaml, StepReferenceReader references)
{
    private static readonly string[] BranchCaseKeys = ["if", "goto"];

    public BranchStep? ReadBranch(string name, YamlNode node, string field)
    {
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            yaml.Error(node, field, $"expected a list of {{ if: condition, goto: step }} ending with an optional {{ else: step }}, got {YamlCoreSchema.Describe(node)}");
            return null;
        }

        var ok = true;
        var cases = new List<BranchCase>();
        string? elseStep = null;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (yaml.Mapping(list.Children[i], path, "{ if: condition, goto: step } or { else: step }") is not { } map)
            {
                ok = false;
                continue;
            }

            if (FlowYamlReader.Child(map, "else") is { } elseNode)
            {
                yaml.CheckKeys(map, path, ["else"]);
                elseStep = references.Read(name, elseNode, FlowYamlReader.Join(path, "else"));
                ok &= elseStep is not null;
                if (i != list.Children.Count - 1)
                {
                    yaml.Error(map, path, "else must be the last case of a branch; cases after it never run");
                    ok = false;
                }

                continue;
            }

            yaml.CheckKeys(map, path, ["if", "goto"]);
            var condition = Optional(map, path, "if", yaml.Expression, ref ok);
            var target = Optional(map, path, "goto", (n, f) => references.Read(name, n, f), ref ok);
            foreach (var required in BranchCaseKeys.Where(k => FlowYamlReader.Child(map, k) is null))
            {
                yaml.Error(map, FlowYamlReader.Join(path, required), $"missing required field '{required}'");
                ok = false;
            }

            if (condition is not null && target is not null)
            {
                cases.Add(new BranchCase(condition, target, yaml.Location(map)));
            }
        }

        return ok ? new BranchStep { Name = "", Location = default, Cases = cases, Else = elseStep } : null;
    }

    public SetStep? ReadSet(YamlNode node, string field)
    {
        if (yaml.Mapping(node, field, "a mapping of variable names to values") is not { } map || map.Children.Count == 0)
        {
            if (node is YamlMappingNode)
            {
                yaml.Error(node, field, "expected at least one variable");
            }

            return null;
        }

        var ok = true;
        var values = new Dictionary<string, FlowValueSource>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } && FlowNamePatterns.Variable().IsMatch(k) ? k : null;
            if (key is null)
            {
                yaml.Error(keyNode, field, $"expected a variable name (a letter or '_', then letters, digits, '_'), got {YamlCoreSchema.Describe(keyNode)}");
                ok = false;
                continue;
            }

            var value = yaml.Value(valueNode, FlowYamlReader.Join(field, key));
            ok &= value is not null;
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return ok ? new SetStep { Name = "", Location = default, Values = values } : null;
    }

    public HangupStep? ReadHangup(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            if (yaml.Boolean(node, field) is not { } value)
            {
                return null;
            }

            if (!value)
            {
                yaml.Error(node, field, "expected hangup: true or hangup: { reason: ... }, got false");
                return null;
            }

            return new HangupStep { Name = "", Location = default };
        }

        if (yaml.Mapping(node, field, "true or a mapping with reason") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ["reason"]);
        var ok = true;
        var reason = Optional(map, field, "reason", (n, f) => yaml.Text(n, f, "a reason"), ref ok);
        return ok ? new HangupStep { Name = "", Location = default, Reason = reason ?? "flow-hangup" } : null;
    }
}
