using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>Reads a flow document's top level and handlers, then checks step references and reachability.</summary>
internal sealed class FlowDocumentReader(FlowYamlReader yaml)
{
    private static readonly string[] TopKeys = ["flow", "description", "voice", "accept_refer", "early_media", "start", "variables", "handlers", "steps"];
    private static readonly string[] RequiredKeys = ["flow", "start", "steps"];
    private static readonly string[] HandlerKeys = ["on_frustration", "on_silence", "on_error"];
    private readonly StepReferenceReader _references = new(yaml);

    public FlowDefinition? Read(YamlNode root, string version)
    {
        if (yaml.Mapping(root, string.Empty, "a flow: a mapping with flow, start and steps") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, string.Empty, TopKeys);
        foreach (var required in RequiredKeys.Where(k => FlowYamlReader.Child(map, k) is null))
        {
            yaml.Error(map, required, $"missing required field '{required}'");
        }

        var name = FlowYamlReader.Child(map, "flow") is { } nameNode ? yaml.Name(nameNode, "flow", "a flow name") : null;
        var description = FlowYamlReader.Child(map, "description") is { } d ? yaml.Text(d, "description") : null;
        var voice = FlowYamlReader.Child(map, "voice") is { } v ? yaml.Text(v, "voice", "an espeak-ng voice") : null;
        var acceptRefer = FlowYamlReader.Child(map, "accept_refer") is { } r ? yaml.Boolean(r, "accept_refer") : false;
        var earlyMedia = FlowYamlReader.Child(map, "early_media") is { } em ? new EarlyMediaReader(yaml).Read(em) : null;
        var startNode = FlowYamlReader.Child(map, "start");
        var start = startNode is null ? null : _references.Read("start", startNode, "start");

        var variables = ReadVariables(FlowYamlReader.Child(map, "variables"));
        var handlers = FlowYamlReader.Child(map, "handlers") is { } h ? ReadHandlers(h) : new FlowHandlers();
        var steps = ReadSteps(FlowYamlReader.Child(map, "steps"), out var stepNames, out var unread);
        FlowGraphValidator.Check(yaml, start, handlers, stepNames, unread, _references.All);
        if (yaml.Errors.Count > 0 || name is null || start is null)
        {
            return null;
        }

        return new FlowDefinition
        {
            Name = name,
            Version = version,
            File = yaml.File,
            Description = description,
            Voice = voice,
            AcceptRefer = acceptRefer ?? false,
            EarlyMedia = earlyMedia,
            Start = start,
            Steps = steps,
            Handlers = handlers,
            Variables = variables,
        };
    }

    private Dictionary<string, JsonNode?> ReadVariables(YamlNode? node)
    {
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (node is null || yaml.Mapping(node, "variables", "a mapping of variable names to values") is not { } map)
        {
            return variables;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } key } && FlowNamePatterns.Variable().IsMatch(key))
            {
                variables[key] = YamlCoreSchema.ToJson(valueNode);
            }
            else
            {
                yaml.Error(keyNode, "variables", $"expected a variable name (a letter or '_', then letters, digits, '_'), got {YamlCoreSchema.Describe(keyNode)}");
            }
        }

        return variables;
    }

    private Dictionary<string, FlowStep> ReadSteps(YamlNode? node, out Dictionary<string, YamlNode> names, out Dictionary<string, YamlNode> unread)
    {
        var steps = new Dictionary<string, FlowStep>(StringComparer.Ordinal);
        names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        unread = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is null || yaml.Mapping(node, "steps", "a mapping of step names to steps") is not { } map)
        {
            return steps;
        }

        if (map.Children.Count == 0)
        {
            yaml.Error(map, "steps", "expected at least one step");
        }

        var reader = new StepReader(yaml, _references);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = yaml.Name(keyNode, "steps", "a step name");
            if (name is null)
            {
                continue;
            }

            names[name] = keyNode;
            if (reader.Read(name, keyNode, valueNode) is { } step)
            {
                steps[name] = step;
            }
            else
            {
                unread[name] = valueNode;
            }
        }

        return steps;
    }

    private FlowHandlers ReadHandlers(YamlNode node)
    {
        if (yaml.Mapping(node, "handlers", $"a mapping with {string.Join(", ", HandlerKeys)}") is not { } map)
        {
            return new FlowHandlers();
        }

        yaml.CheckKeys(map, "handlers", HandlerKeys);
        var handlers = new FlowHandlers();
        if (Handler(map, "on_frustration", ["above", "for", "goto", "once"], ["above", "goto"]) is var (f, fPath, fGoto))
        {
            var above = FlowYamlReader.Child(f, "above") is { } a ? yaml.Number(a, $"{fPath}.above", 0, 1) : null;
            var duration = FlowYamlReader.Child(f, "for") is { } d ? yaml.Duration(d, $"{fPath}.for") : TimeSpan.Zero;
            var once = FlowYamlReader.Child(f, "once") is { } o ? yaml.Boolean(o, $"{fPath}.once") : true;
            if (above is not null && duration is not null && once is not null && fGoto is not null)
            {
                handlers = handlers with { OnFrustration = new FrustrationHandler(above.Value, duration.Value, fGoto, once.Value, yaml.Location(f)) };
            }
        }

        if (Handler(map, "on_silence", ["after", "goto"], ["after", "goto"]) is var (s, sPath, sGoto))
        {
            var after = FlowYamlReader.Child(s, "after") is { } a ? yaml.Duration(a, $"{sPath}.after") : null;
            if (after is not null && sGoto is not null)
            {
                handlers = handlers with { OnSilence = new SilenceHandler(after.Value, sGoto, yaml.Location(s)) };
            }
        }

        if (Handler(map, "on_error", ["goto"], ["goto"]) is var (e, _, eGoto) && eGoto is not null)
        {
            handlers = handlers with { OnError = new ErrorHandler(eGoto, yaml.Location(e)) };
        }

        return handlers;
    }

    private (YamlMappingNode Map, string Path, string? Goto)? Handler(YamlMappingNode handlers, string key, string[] allowed, string[] required)
    {
        var path = $"handlers.{key}";
        if (FlowYamlReader.Child(handlers, key) is not { } node || yaml.Mapping(node, path, $"a mapping with {string.Join(", ", allowed)}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, path, allowed);
        foreach (var missing in required.Where(k => FlowYamlReader.Child(map, k) is null))
        {
            yaml.Error(map, $"{path}.{missing}", $"missing required field '{missing}'");
        }

        string? target = null;
        if (FlowYamlReader.Child(map, "goto") is { } gotoNode)
        {
            target = _references.Read(key, gotoNode, $"{path}.goto");
        }

        return (map, path, target);
    }
}
