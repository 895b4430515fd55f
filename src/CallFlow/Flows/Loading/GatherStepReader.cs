using StepAudio.Telephony.CallFlow.Flows.Definition;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The <c>gather</c> verb: a prompt, then the caller's keys or speech.</summary>
internal sealed class GatherStepReader(FlowYamlReader yaml, PromptFieldReader prompts, StepReferenceReader references)
{
    private static readonly string[] GatherKeys =
    [
        "input", "say", "play", "voice", "max_digits", "min_digits", "finish_on_key", "timeout", "inter_digit_timeout",
        "speech_timeout", "retries", "interruptible", "barge_in", "no_input",
    ];

    public GatherStep? Read(string name, YamlNode node, string field)
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

        var say = Optional(map, field, "say", prompts.Spoken, ref ok);
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
            Interruptible = prompts.Interruptible(map, field, step.Interruptible, ref ok),
            NoInput = Optional(map, field, "no_input", (n, f) => references.Read(name, n, f), ref ok),
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
}
