using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// Checks the step graph: every reference names an existing step, and every step is reachable from <c>start</c> or
/// a global handler's target (following next, goto, else, no_input and on_failure). Both are checked in one run,
/// also when other mistakes were found, so the author sees every problem of the file at once.
/// </summary>
internal static class FlowGraphValidator
{
    public static void Check(
        FlowYamlReader yaml,
        string? start,
        FlowHandlers handlers,
        IReadOnlyDictionary<string, YamlNode> stepNames,
        IReadOnlyDictionary<string, YamlNode> unreadSteps,
        IReadOnlyList<StepReference> references)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var roots = new List<string>();
        var startBroken = false;
        foreach (var reference in references)
        {
            var target = reference.Target;
            if (!stepNames.ContainsKey(target))
            {
                yaml.Error(reference.Node, reference.Field, $"no step named '{target}'{Suggest(target, stepNames.Keys)}");
                startBroken |= reference.Field == "start";

                // The step the author most likely meant counts as reached, so one typo is reported once, not twice.
                if (NameSuggestions.Closest(target, stepNames.Keys) is not { } meant)
                {
                    continue;
                }

                target = meant;
            }

            if (stepNames.ContainsKey(reference.From) && reference.Field.StartsWith("steps.", StringComparison.Ordinal))
            {
                Edges(edges, reference.From).Add(target);
            }
            else
            {
                roots.Add(target);
            }
        }

        // A step with a mistake may have lost references its reader never got to: every step name written anywhere
        // inside it counts as a way on, so only steps that truly nothing names are reported.
        foreach (var (name, node) in unreadSteps)
        {
            Edges(edges, name).AddRange(Scalars(node).Where(stepNames.ContainsKey));
        }

        // Without a sound start every step would be "unreachable"; the start error already says what to fix.
        if (start is null || startBroken)
        {
            return;
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.Count > 0)
        {
            var step = pending.Pop();
            if (reached.Add(step) && edges.TryGetValue(step, out var targets))
            {
                targets.ForEach(pending.Push);
            }
        }

        var hasHandlers = handlers.OnError is not null || handlers.OnSilence is not null || handlers.OnFrustration is not null;
        foreach (var (name, node) in stepNames.Where(s => !reached.Contains(s.Key)))
        {
            yaml.Error(node, $"steps.{name}", $"step '{name}' is never reached from start '{start}'"
                + (hasHandlers ? " or a handler" : string.Empty) + "; remove it or go to it from another step");
        }
    }

    private static List<string> Edges(Dictionary<string, List<string>> edges, string from)
    {
        if (!edges.TryGetValue(from, out var targets))
        {
            edges[from] = targets = [];
        }

        return targets;
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } value } => [value],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.SelectMany(c => Scalars(c.Key).Concat(Scalars(c.Value))),
        _ => [],
    };

    private static string Suggest(string target, IEnumerable<string> names)
    {
        var list = names.ToList();
        if (NameSuggestions.Closest(target, list) is { } close)
        {
            return $" (did you mean '{close}'?)";
        }

        return list.Count == 0 ? string.Empty : $"; steps are: {string.Join(", ", list.Take(20))}{(list.Count > 20 ? ", ..." : string.Empty)}";
    }
}
