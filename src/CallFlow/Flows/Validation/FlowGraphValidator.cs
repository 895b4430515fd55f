using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// Checks the step graph: every reference names an existing step, and every step is reachable from <c>start</c> or
/// a global handler's target (following next, goto, else, no_input and on_failure).
/// </summary>
internal static class FlowGraphValidator
{
    public static void Check(
        FlowYamlReader yaml,
        string? start,
        FlowHandlers handlers,
        IReadOnlyDictionary<string, FlowStep> steps,
        IReadOnlyDictionary<string, YamlNode> stepNames,
        IReadOnlyList<StepReference> references)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var roots = new List<string>();
        var broken = 0;
        foreach (var reference in references)
        {
            if (!stepNames.ContainsKey(reference.Target))
            {
                yaml.Error(reference.Node, reference.Field, $"no step named '{reference.Target}'{Suggest(reference.Target, stepNames.Keys)}");
                broken++;
                continue;
            }

            if (stepNames.ContainsKey(reference.From) && reference.Field.StartsWith("steps.", StringComparison.Ordinal))
            {
                if (!edges.TryGetValue(reference.From, out var targets))
                {
                    edges[reference.From] = targets = [];
                }

                targets.Add(reference.Target);
            }
            else
            {
                roots.Add(reference.Target);
            }
        }

        // Only report unreachable steps when the graph itself is sound: a broken reference already explains them.
        if (start is null || broken > 0 || steps.Count != stepNames.Count)
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
