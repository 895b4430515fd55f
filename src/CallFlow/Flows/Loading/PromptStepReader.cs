using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The verbs that play to the caller: <c>say</c>, <c>play</c>, <c>pause</c>.</summary>
internal sealed class PromptStepReader(FlowYamlReader yaml, PromptFieldReader prompts)
{
    public SayStep? ReadSay(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            return prompts.Spoken(node, field) is { } text ? new SayStep { Name = "", Location = default, Text = text } : null;
        }

        if (yaml.Mapping(node, field, "text or a mapping with text, voice, loop, interruptible") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ["text", "voice", "loop", "interruptible", "barge_in"]);
        var ok = true;
        var step = new SayStep { Name = "", Location = default, Text = FlowTemplate.Literal(string.Empty) };
        if (FlowYamlReader.Child(map, "text") is { } textNode)
        {
            var text = prompts.Spoken(textNode, FlowYamlReader.Join(field, "text"));
            ok &= text is not null;
            step = step with { Text = text ?? step.Text };
        }
        else
        {
            yaml.Error(map, FlowYamlReader.Join(field, "text"), "missing required field 'text'");
            ok = false;
        }

        step = step with { Voice = Optional(map, field, "voice", (n, f) => yaml.Text(n, f, "an espeak-ng voice"), ref ok) };
        step = step with { Loop = Optional(map, field, "loop", (n, f) => yaml.Integer(n, f, 1, 100), ref ok) ?? 1 };
        step = step with { Interruptible = prompts.Interruptible(map, field, step.Interruptible, ref ok) };
        return ok ? step : null;
    }

    public PlayStep? ReadPlay(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            return yaml.Text(node, field, "a WAV file name") is { } wav ? new PlayStep { Name = "", Location = default, File = wav } : null;
        }

        if (yaml.Mapping(node, field, "a file name or a mapping with file, loop, interruptible") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ["file", "loop", "interruptible", "barge_in"]);
        var ok = true;
        var file = Required(yaml, map, field, "file", (n, f) => yaml.Text(n, f, "a WAV file name"), ref ok);

        var loop = Optional(map, field, "loop", (n, f) => yaml.Integer(n, f, 1, 100), ref ok) ?? 1;
        var interruptible = prompts.Interruptible(map, field, PromptInterruption.Speech, ref ok);
        return ok ? new PlayStep { Name = "", Location = default, File = file!, Loop = loop, Interruptible = interruptible } : null;
    }

    public PauseStep? ReadPause(YamlNode node, string field)
    {
        if (yaml.Duration(node, field) is not { } length)
        {
            return null;
        }

        if (length <= TimeSpan.Zero || length > PauseStep.MaxLength)
        {
            yaml.Error(node, field, $"expected a pause longer than 0 and at most 10m, got '{((YamlScalarNode)node).Value}'");
            return null;
        }

        return new PauseStep { Name = "", Location = default, Length = length };
    }
}
