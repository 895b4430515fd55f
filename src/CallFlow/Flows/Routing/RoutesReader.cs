using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Routing;

/// <summary>Reads routes.yaml and checks that every flow it names exists.</summary>
internal static class RoutesReader
{
    private static readonly string[] TopKeys = ["routes", "default"];
    private static readonly string[] RouteKeys = ["did", "trunk", "flow", "when", "use"];

    public static FlowRoutes? Read(string text, string file, IReadOnlyCollection<string> flowNames, List<FlowError> errors)
    {
        var yaml = new FlowYamlReader(file);
        var routes = Read(text, yaml, flowNames);
        errors.AddRange(yaml.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column));
        return yaml.Errors.Count == 0 ? routes : null;
    }

    private static FlowRoutes? Read(string text, FlowYamlReader yaml, IReadOnlyCollection<string> flowNames)
    {
        if (FlowLoader.Parse(text, yaml) is not { } root || yaml.Mapping(root, string.Empty, "a mapping with routes and default") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, string.Empty, TopKeys);
        var routes = new List<FlowRoute>();
        if (FlowYamlReader.Child(map, "routes") is { } list)
        {
            if (list is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (ReadRoute(sequence.Children[i], $"routes[{i}]", yaml, flowNames) is { } route)
                    {
                        routes.Add(route);
                    }
                }
            }
            else
            {
                yaml.Error(list, "routes", $"expected a list of routes, got {YamlCoreSchema.Describe(list)}");
            }
        }

        string? defaultFlow = null;
        if (FlowYamlReader.Child(map, "default") is { } defaultNode)
        {
            defaultFlow = FlowName(defaultNode, "default", yaml, flowNames);
        }
        else if (flowNames.Count == 1)
        {
            defaultFlow = flowNames.First();
        }
        else
        {
            yaml.Error(map, "default", $"missing required field 'default' (the flow for calls no route matches; flows are: {string.Join(", ", flowNames)})");
        }

        return defaultFlow is null ? null : new FlowRoutes(routes, defaultFlow);
    }

    private static FlowRoute? ReadRoute(YamlNode node, string path, FlowYamlReader yaml, IReadOnlyCollection<string> flowNames)
    {
        if (yaml.Mapping(node, path, "a route: a mapping with did and/or trunk, flow, and optional when/use") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, path, RouteKeys);
        // A number written unquoted (did: 15550100) is still a DID, so the scalar's text is taken as written.
        var did = FlowYamlReader.Child(map, "did") is { } d
            ? d is YamlScalarNode { Value.Length: > 0 } number && FlowOperators.TryGetNumber(YamlCoreSchema.ScalarJson(number), out _)
                ? number.Value
                : yaml.Text(d, $"{path}.did", "a number such as \"+15550100\" or a prefix ending in *")
            : null;
        var trunk = FlowYamlReader.Child(map, "trunk") is { } t ? yaml.Text(t, $"{path}.trunk", "a trunk name") : null;
        if (FlowYamlReader.Child(map, "did") is null && FlowYamlReader.Child(map, "trunk") is null)
        {
            yaml.Error(map, path, "a route needs did or trunk (or both); calls matching neither use default");
        }

        string? flow = null;
        if (FlowYamlReader.Child(map, "flow") is { } f)
        {
            flow = FlowName(f, $"{path}.flow", yaml, flowNames);
        }
        else
        {
            yaml.Error(map, $"{path}.flow", "missing required field 'flow'");
        }

        var when = FlowYamlReader.Child(map, "when") is { } w ? yaml.Expression(w, $"{path}.when") : null;
        string? use = null;
        if (FlowYamlReader.Child(map, "use") is { } u)
        {
            use = FlowName(u, $"{path}.use", yaml, flowNames);
            if (FlowYamlReader.Child(map, "when") is null)
            {
                yaml.Error(u, $"{path}.use", "use needs a when condition; without one, write the flow in flow");
            }
        }

        return flow is null ? null : new FlowRoute { Did = did, Trunk = trunk, Flow = flow, When = when, Use = use, Location = yaml.Location(map) };
    }

    private static string? FlowName(YamlNode node, string field, FlowYamlReader yaml, IReadOnlyCollection<string> flowNames)
    {
        var name = yaml.Text(node, field, "a flow name");
        if (name is not null && !flowNames.Contains(name))
        {
            var hint = Validation.NameSuggestions.Closest(name, flowNames) is { } close ? $" (did you mean '{close}'?)" : string.Empty;
            yaml.Error(node, field, $"no flow named '{name}'{hint}; flows are: {(flowNames.Count == 0 ? "(none)" : string.Join(", ", flowNames))}");
            return null;
        }

        return name;
    }
}
