using StepAudio.Telephony.CallFlow.Flows.Definition;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>Reads one entry of <c>steps:</c>: exactly one verb plus an optional <c>next</c>.</summary>
internal sealed class StepReader
{
    public static readonly string[] Verbs = ["say", "play", "pause", "gather", "branch", "set", "webhook", "transfer", "record", "hangup", "converse"];
    private static readonly string[] StepKeys = [.. Verbs, "next"];

    private readonly FlowYamlReader _yaml;
    private readonly StepReferenceReader _references;
    private readonly PromptStepReader _prompts;
    private readonly GatherStepReader _gather;
    private readonly ControlStepReader _control;
    private readonly ActionStepReader _actions;
    private readonly ConverseStepReader _converse;

    /// <summary>A reader for one file's steps; every step name a step points at is read by <paramref name="references"/>.</summary>
    public StepReader(FlowYamlReader yaml, StepReferenceReader references)
    {
        _yaml = yaml;
        _references = references;
        var promptFields = new PromptFieldReader(yaml);
        _prompts = new PromptStepReader(yaml, promptFields);
        _gather = new GatherStepReader(yaml, promptFields, _references);
        _control = new ControlStepReader(yaml, _references);
        _actions = new ActionStepReader(yaml, _references);
        _converse = new ConverseStepReader(yaml, _references);
    }

    public FlowStep? Read(string name, YamlNode nameNode, YamlNode node)
    {
        var path = $"steps.{name}";
        if (_yaml.Mapping(node, path, $"a step with one verb ({string.Join(", ", Verbs)})") is not { } mapping)
        {
            return null;
        }

        _yaml.CheckKeys(mapping, path, StepKeys);
        var verbs = mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => Verbs.Contains(k.Value)).ToList();
        if (verbs.Count == 0)
        {
            _yaml.Error(nameNode, path, $"step has no verb; expected one of {string.Join(", ", Verbs)}");
            return null;
        }

        if (verbs.Count > 1)
        {
            _yaml.Error(verbs[1], FlowYamlReader.Join(path, verbs[1].Value!),
                $"a step has exactly one verb, got '{verbs[0].Value}' and '{verbs[1].Value}'; split it into two steps joined by next");
            return null;
        }

        var verb = verbs[0].Value!;
        var body = mapping.Children[verbs[0]];
        var field = FlowYamlReader.Join(path, verb);
        string? next = null;
        if (FlowYamlReader.Child(mapping, "next") is { } nextNode)
        {
            next = _references.Read(name, nextNode, FlowYamlReader.Join(path, "next"));
            if (verb == "hangup")
            {
                _yaml.Error(nextNode, FlowYamlReader.Join(path, "next"), "hangup ends the call, so next would never run; remove it");
            }
        }

        FlowStep? step = verb switch
        {
            "say" => _prompts.ReadSay(body, field),
            "play" => _prompts.ReadPlay(body, field),
            "pause" => _prompts.ReadPause(body, field),
            "gather" => _gather.Read(name, body, field),
            "branch" => _control.ReadBranch(name, body, field),
            "set" => _control.ReadSet(body, field),
            "webhook" => _actions.ReadWebhook(name, body, field),
            "transfer" => _actions.ReadTransfer(name, body, field),
            "record" => _actions.ReadRecord(body, field),
            "converse" => _converse.Read(name, body, field),
            _ => _control.ReadHangup(body, field),
        };
        return step is null ? null : step with { Name = name, Location = _yaml.Location(nameNode), Next = next };
    }

}
