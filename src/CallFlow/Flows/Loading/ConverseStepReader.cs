using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The <c>converse</c> verb: a conversation with a reasoning model.</summary>
internal sealed class ConverseStepReader(FlowYamlReader yaml, StepReferenceReader references)
{
    /// <summary>The actions a <c>converse</c> step may allow, as the model sees them (tool names).</summary>
    public static readonly string[] ConverseActions = ["goto_step", "transfer", "hangup", "set_variable", "send_dtmf"];

    private static readonly string[] ConverseKeys =
        ["instructions", "goal", "greeting", "actions", "steps", "transfer_to", "transfer_mode", "max_turns", "max_duration", "fallback", "voice"];

    public ConverseStep? Read(string name, YamlNode node, string field)
    {
        if (yaml.Mapping(node, field, $"a mapping with {string.Join(", ", ConverseKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ConverseKeys);
        var ok = true;
        var instructions = Required(yaml, map, field, "instructions", (n, f) => yaml.Template(n, f, "the model's instructions"), ref ok, " (what the model is and should do)");

        var actions = new List<string> { "hangup" };
        if (FlowYamlReader.Child(map, "actions") is { } actionsNode)
        {
            ok &= ReadNames(actionsNode, FlowYamlReader.Join(field, "actions"), actions, (n, f) => Action(n, f));
        }

        var steps = new List<string>();
        var stepsNode = FlowYamlReader.Child(map, "steps");
        if (stepsNode is not null)
        {
            ok &= ReadNames(stepsNode, FlowYamlReader.Join(field, "steps"), steps, (n, f) => references.Read(name, n, f));
        }

        if (actions.Contains("goto_step") && steps.Count == 0 && stepsNode is null)
        {
            yaml.Error(map, FlowYamlReader.Join(field, "steps"), "goto_step is allowed, so list the steps the model may go to under 'steps'");
            ok = false;
        }

        var transferTo = Optional(map, field, "transfer_to", (n, f) => yaml.Template(n, f, "a SIP URI"), ref ok);
        if (actions.Contains("transfer") && FlowYamlReader.Child(map, "transfer_to") is null)
        {
            yaml.Error(map, FlowYamlReader.Join(field, "transfer_to"), "transfer is allowed, so say where to with 'transfer_to'");
            ok = false;
        }

        var mode = Optional(map, field, "transfer_mode", (n, f) => yaml.Choice(n, f, ActionStepReader.TransferModes), ref ok) ?? TransferMode.Refer;

        var step = new ConverseStep
        {
            Name = "",
            Location = default,
            Instructions = instructions ?? FlowTemplate.Literal(string.Empty),
            Goal = Optional(map, field, "goal", (n, f) => yaml.Template(n, f, "the conversation's goal"), ref ok),
            Greeting = Optional(map, field, "greeting", (n, f) => yaml.Template(n, f, "what to say first"), ref ok),
            Actions = actions,
            Steps = steps,
            TransferTo = transferTo,
            TransferMode = mode,
            MaxTurns = Optional(map, field, "max_turns", (n, f) => yaml.Integer(n, f, 1, 200), ref ok) ?? 20,
            MaxDuration = Optional(map, field, "max_duration", yaml.Duration, ref ok) ?? TimeSpan.FromMinutes(10),
            Fallback = Optional(map, field, "fallback", (n, f) => references.Read(name, n, f), ref ok),
            Voice = Optional(map, field, "voice", (n, f) => yaml.Text(n, f, "a voice"), ref ok),
        };
        return ok ? step : null;
    }

    private string? Action(YamlNode node, string field)
    {
        var action = yaml.Text(node, field, "an action name");
        if (action is not null && !ConverseActions.Contains(action))
        {
            yaml.Error(node, field, $"unknown action '{action}'{Validation.NameSuggestions.Hint(action, ConverseActions)}; expected one of {string.Join(", ", ConverseActions)}");
            return null;
        }

        return action;
    }

    /// <summary>Reads a list of names (a YAML sequence, or one scalar); the list is replaced by what was written.</summary>
    private bool ReadNames(YamlNode node, string field, List<string> names, ReadField<string?> read)
    {
        names.Clear();
        IEnumerable<YamlNode> items = node switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode scalar => [scalar],
            _ => [],
        };
        if (node is YamlMappingNode)
        {
            yaml.Error(node, field, $"expected a list, got {YamlCoreSchema.Describe(node)}");
            return false;
        }

        var ok = true;
        var index = 0;
        foreach (var item in items)
        {
            var value = read(item, $"{field}[{index++}]");
            if (value is null)
            {
                ok = false;
            }
            else if (!names.Contains(value, StringComparer.Ordinal))
            {
                names.Add(value);
            }
        }

        return ok;
    }
}
