using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Speech.Ssml;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>Reads one entry of <c>steps:</c>: exactly one verb plus an optional <c>next</c>.</summary>
internal sealed partial class StepReader(FlowYamlReader yaml, List<StepReference> references)
{
    public static readonly string[] Verbs = ["say", "play", "pause", "gather", "branch", "set", "webhook", "transfer", "record", "hangup"];
    private static readonly string[] StepKeys = [.. Verbs, "next"];

    public FlowStep? Read(string name, YamlNode nameNode, YamlNode node)
    {
        var path = $"steps.{name}";
        if (yaml.Mapping(node, path, $"a step with one verb ({string.Join(", ", Verbs)})") is not { } mapping)
        {
            return null;
        }

        yaml.CheckKeys(mapping, path, StepKeys);
        var verbs = mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => Verbs.Contains(k.Value)).ToList();
        if (verbs.Count == 0)
        {
            yaml.Error(nameNode, path, $"step has no verb; expected one of {string.Join(", ", Verbs)}");
            return null;
        }

        if (verbs.Count > 1)
        {
            yaml.Error(verbs[1], FlowYamlReader.Join(path, verbs[1].Value!),
                $"a step has exactly one verb, got '{verbs[0].Value}' and '{verbs[1].Value}'; split it into two steps joined by next");
            return null;
        }

        var verb = verbs[0].Value!;
        var body = mapping.Children[verbs[0]];
        var field = FlowYamlReader.Join(path, verb);
        string? next = null;
        if (FlowYamlReader.Child(mapping, "next") is { } nextNode)
        {
            next = Reference(name, nextNode, FlowYamlReader.Join(path, "next"));
            if (verb == "hangup")
            {
                yaml.Error(nextNode, FlowYamlReader.Join(path, "next"), "hangup ends the call, so next would never run; remove it");
            }
        }

        FlowStep? step = verb switch
        {
            "say" => ReadSay(body, field),
            "play" => ReadPlay(body, field),
            "pause" => ReadPause(body, field),
            "gather" => ReadGather(name, body, field),
            "branch" => ReadBranch(name, body, field),
            "set" => ReadSet(body, field),
            "webhook" => ReadWebhook(name, body, field),
            "transfer" => ReadTransfer(name, body, field),
            "record" => ReadRecord(body, field),
            _ => ReadHangup(body, field),
        };
        return step is null ? null : step with { Name = name, Location = yaml.Location(nameNode), Next = next };
    }

    /// <summary>Reads a step name and remembers it for the reference check.</summary>
    public string? Reference(string from, YamlNode node, string field)
    {
        var target = yaml.Name(node, field, "a step name");
        if (target is not null)
        {
            references.Add(new StepReference(from, target, node, field));
        }

        return target;
    }

    private SayStep? ReadSay(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            return Spoken(node, field) is { } text ? new SayStep { Name = "", Location = default, Text = text } : null;
        }

        if (yaml.Mapping(node, field, "text or a mapping with text, voice, loop, barge_in") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ["text", "voice", "loop", "barge_in"]);
        var ok = true;
        var step = new SayStep { Name = "", Location = default, Text = FlowTemplate.Literal(string.Empty) };
        if (FlowYamlReader.Child(map, "text") is { } textNode)
        {
            var text = Spoken(textNode, FlowYamlReader.Join(field, "text"));
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
        step = step with { BargeIn = Optional(map, field, "barge_in", yaml.Boolean, ref ok) ?? true };
        return ok ? step : null;
    }

    /// <summary>Text to speak: a template, which when it is SSML must be well-formed and within the supported subset.</summary>
    private FlowTemplate? Spoken(YamlNode node, string field)
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

    private PlayStep? ReadPlay(YamlNode node, string field)
    {
        if (node is YamlScalarNode)
        {
            return yaml.Text(node, field, "a WAV file name") is { } wav ? new PlayStep { Name = "", Location = default, File = wav } : null;
        }

        if (yaml.Mapping(node, field, "a file name or a mapping with file, loop, barge_in") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, field, ["file", "loop", "barge_in"]);
        var ok = true;
        var file = Optional(map, field, "file", (n, f) => yaml.Text(n, f, "a WAV file name"), ref ok);
        if (FlowYamlReader.Child(map, "file") is null)
        {
            yaml.Error(map, FlowYamlReader.Join(field, "file"), "missing required field 'file'");
            ok = false;
        }

        var loop = Optional(map, field, "loop", (n, f) => yaml.Integer(n, f, 1, 100), ref ok) ?? 1;
        var bargeIn = Optional(map, field, "barge_in", yaml.Boolean, ref ok) ?? true;
        return ok ? new PlayStep { Name = "", Location = default, File = file!, Loop = loop, BargeIn = bargeIn } : null;
    }

    private PauseStep? ReadPause(YamlNode node, string field)
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

    private HangupStep? ReadHangup(YamlNode node, string field)
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

    private delegate T ReadField<T>(YamlNode node, string field);

    /// <summary>Reads an optional field; a present but invalid field clears <paramref name="ok"/>.</summary>
    private static T? Optional<T>(YamlMappingNode map, string path, string key, ReadField<T?> read, ref bool ok)
        where T : class
    {
        if (FlowYamlReader.Child(map, key) is not { } node)
        {
            return null;
        }

        var value = read(node, FlowYamlReader.Join(path, key));
        ok &= value is not null;
        return value;
    }

    private static T? Optional<T>(YamlMappingNode map, string path, string key, ReadField<T?> read, ref bool ok)
        where T : struct
    {
        if (FlowYamlReader.Child(map, key) is not { } node)
        {
            return null;
        }

        var value = read(node, FlowYamlReader.Join(path, key));
        ok &= value is not null;
        return value;
    }
}
