using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Speech.Ssml;
using YamlDotNet.RepresentationModel;
using static StepAudio.Telephony.CallFlow.Flows.Loading.StepFields;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>The fields every prompt shares, whether a <c>say</c>, a <c>play</c> or a <c>gather</c>'s question.</summary>
internal sealed class PromptFieldReader(FlowYamlReader yaml)
{
    private static readonly (string, PromptInterruption)[] Interruptions =
        [("keys", PromptInterruption.Keys), ("speech", PromptInterruption.Speech), ("any", PromptInterruption.Any), ("none", PromptInterruption.None)];

    /// <summary>Text to speak: a template, which when it is SSML must be well-formed and within the supported subset.</summary>
    public FlowTemplate? Spoken(YamlNode node, string field)
    {
        var text = yaml.Template(node, field);
        if (text is null || !SsmlText.IsSsml(text.Source))
        {
            return text;
        }

        // Expressions are stood in for by a digit: their values are escaped at run time, so they are always text.
        var sample = string.Concat(text.Parts.Select(p => p.Expression is null ? p.Text : "0"));
        if (SsmlText.Check(sample) is { } problem)
        {
            yaml.Error(node, field, problem);
            return null;
        }

        return text;
    }

    /// <summary>
    /// <c>interruptible: keys | speech | any | none</c>; the older <c>barge_in: true | false</c> still reads as
    /// <c>any</c> or <c>none</c>. Both at once is an error.
    /// </summary>
    public PromptInterruption Interruptible(YamlMappingNode map, string field, PromptInterruption fallback, ref bool ok)
    {
        var legacy = Optional(map, field, "barge_in", yaml.Boolean, ref ok);
        if (FlowYamlReader.Child(map, "interruptible") is not { } node)
        {
            return legacy switch { true => PromptInterruption.Any, false => PromptInterruption.None, null => fallback };
        }

        var path = FlowYamlReader.Join(field, "interruptible");
        if (legacy is not null)
        {
            yaml.Error(node, path, "give either interruptible or the older barge_in, not both");
            ok = false;
        }

        if (yaml.Choice(node, path, Interruptions) is not { } interruption)
        {
            ok = false;
            return fallback;
        }

        return interruption;
    }
}
