using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Reads <c>early_media: { say: TEXT [, voice: V] }</c> or <c>early_media: { play: FILE }</c>: exactly one, and text
/// without <c>{{ expressions }}</c> (the announcement plays before the flow starts, so no variable has a value yet).
/// </summary>
internal sealed class EarlyMediaReader(FlowYamlReader yaml)
{
    private const string Field = "early_media";

    public EarlyMediaAnnouncement? Read(YamlNode node)
    {
        if (yaml.Mapping(node, Field, "a mapping with say (and voice) or play") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, Field, ["say", "voice", "play"]);
        var sayNode = FlowYamlReader.Child(map, "say");
        var playNode = FlowYamlReader.Child(map, "play");
        var voiceNode = FlowYamlReader.Child(map, "voice");
        if ((sayNode is null) == (playNode is null))
        {
            yaml.Error(map, Field, "expected exactly one of 'say' and 'play'");
            return null;
        }

        if (playNode is not null && voiceNode is not null)
        {
            yaml.Error(voiceNode, $"{Field}.voice", "'voice' belongs with 'say', not 'play'");
            return null;
        }

        var text = sayNode is null ? null : yaml.Text(sayNode, $"{Field}.say", "the text of the announcement");
        if (text is not null && FlowTemplateParser.HasExpressions(text))
        {
            yaml.Error(sayNode!, $"{Field}.say", "early media plays before the flow starts, so it cannot use {{ expressions }}; write plain text");
            return null;
        }

        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            yaml.Error(sayNode!, $"{Field}.say", "expected the text of the announcement, got an empty text");
            return null;
        }

        var file = playNode is null ? null : yaml.Text(playNode, $"{Field}.play", "a WAV file name");
        var voice = voiceNode is null ? null : yaml.Text(voiceNode, $"{Field}.voice", "an espeak-ng voice");
        if ((text ?? file) is null || (voiceNode is not null && voice is null))
        {
            return null;
        }

        return new EarlyMediaAnnouncement { Text = text, File = file, Voice = voice, Location = yaml.Location(map) };
    }
}
