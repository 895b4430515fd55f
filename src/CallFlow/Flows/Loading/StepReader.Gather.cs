using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The input and control verbs: <c>gather</c>, <c>branch</c>, <c>set</c>.</summary>
internal sealed partial class StepReader
{
    private static readonly string[] BranchCaseKeys = ["if", "goto"];
    private static readonly string[] GatherKeys =
    [
        "input", "say", "play", "voice", "max_digits", "min_digits", "finish_on_key", "timeout", "inter_digit_timeout",
        "speech_timeout", "retries", "interruptible", "barge_in", "no_input",
    ];

    private GatherStep? ReadGather(string name, YamlNode node, string field)
    {
        if (yaml.Mapping(node, field, $"a mapping with {string.Join(", ", GatherKeys)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, GatherKeys);
        var ok = true;
        var step = new GatherStep { Name = "", Location = default };
        if (FlowYamlReader.Child(map, "input") is { } inputNode)
        {
            var input = ReadInput(inputNode, FlowYamlReader.Join(field, "input"));
            ok &= input != GatherInput.None;
            step = step with { Input = input };
        }

        var say = Optional(map, field, "say", Spoken, ref ok);
        var play = Optional(map, field, "play", (n, f) => yaml.Text(n, f, "a WAV file name"), ref ok);
        if (say is not null && play is not null)
        {
            yaml.Error(FlowYamlReader.Child(map, "play")!, FlowYamlReader.Join(field, "play"), "a gather prompts with say or play, not both");
            ok = false;
        }

        var maxDigits = Optional(map, field, "max_digits", (n, f) => yaml.Integer(n, f, 1, 64), ref ok) ?? step.MaxDigits;
        var minDigits = Optional(map, field, "min_digits", (n, f) => yaml.Integer(n, f, 1, 64), ref ok) ?? step.MinDigits;
        if (minDigits > maxDigits)
        {
            yaml.Error(FlowYamlReader.Child(map, "min_digits") ?? map, FlowYamlReader.Join(field, "min_digits"),
                $"min_digits ({minDigits}) must not be more than max_digits ({maxDigits})");
            ok = false;
        }

        var finishOnKey = step.FinishOnKey;
        if (FlowYamlReader.Child(map, "finish_on_key") is { } keyNode)
        {
            ok &= yaml.TryKey(keyNode, FlowYamlReader.Join(field, "finish_on_key"), out finishOnKey);
        }

        step = step with
        {
            Say = say,
            Play = play,
            Voice = Optional(map, field, "voice", (n, f) => yaml.Text(n, f, "an espeak-ng voice"), ref ok),
            MaxDigits = maxDigits,
            MinDigits = minDigits,
            FinishOnKey = finishOnKey,
            Timeout = Optional(map, field, "timeout", yaml.Duration, ref ok) ?? step.Timeout,
            InterDigitTimeout = Optional(map, field, "inter_digit_timeout", yaml.Duration, ref ok) ?? step.InterDigitTimeout,
            SpeechTimeout = Optional(map, field, "speech_timeout", yaml.Duration, ref ok),
            Retries = Optional(map, field, "retries", (n, f) => yaml.Integer(n, f, 0, 10), ref ok) ?? step.Retries,
            Interruptible = ReadInterruptible(map, field, step.Interruptible, ref ok),
            NoInput = Optional(map, field, "no_input", (n, f) => Reference(name, n, f), ref ok),
        };
        return ok ? step : null;
    }

    private GatherInput ReadInput(YamlNode node, string field)
    {
        IEnumerable<YamlNode> items = node is YamlSequenceNode list ? list.Children : [node];
        var input = GatherInput.None;
        foreach (var item in items)
        {
            switch (item is YamlScalarNode scalar ? scalar.Value : null)
            {
                case "dtmf":
                    input |= GatherInput.Dtmf;
                    break;
                case "speech":
                    input |= GatherInput.Speech;
                    break;
                default:
                    yaml.Error(item, field, $"expected dtmf or speech, got {YamlCoreSchema.Describe(item)}");
                    return GatherInput.None;
            }
        }

        if (input == GatherInput.None)
        {
            yaml.Error(node, field, "expected at least one of dtmf, speech");
        }

        return input;
    }

    private BranchStep? ReadBranch(string name, YamlNode node, string field)
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
                elseStep = Reference(name, elseNode, FlowYamlReader.Join(path, "else"));
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
            var target = Optional(map, path, "goto", (n, f) => Reference(name, n, f), ref ok);
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

    private SetStep? ReadSet(YamlNode node, string field)
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
            var key = keyNode is YamlScalarNode { Value: { } k } && VariablePattern().IsMatch(k) ? k : null;
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

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial System.Text.RegularExpressions.Regex VariablePattern();
}
