using StepAudio.Telephony.CallFlow.Flows.Expressions;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// Load-time checks of a parsed expression: names must be ones every scope provides (README: "an unknown name is a
/// validation error, not a silent null"), functions must exist with the right argument count, and literal schedules
/// and time zones given to <c>open</c> must parse.
/// </summary>
internal static class ExpressionValidator
{
    /// <summary>Reports each problem with its 0-based offset in the expression text.</summary>
    public static void Check(FlowExpression expression, Action<int, string> report)
    {
        if (expression is not ExpressionNode root)
        {
            return;
        }

        foreach (var node in root.DescendantsAndSelf())
        {
            switch (node)
            {
                case NameNode name:
                    CheckName(name, report);
                    break;
                case CallNode call:
                    CheckCall(call, report);
                    break;
            }
        }
    }

    private static void CheckName(NameNode name, Action<int, string> report)
    {
        if (!FlowScopeNames.IsRoot(name.Root))
        {
            report(name.Offset, $"unknown name '{name.Root}'{NameSuggestions.Hint(name.Root, FlowScopeNames.Roots)}; "
                + $"expected one of {string.Join(", ", FlowScopeNames.Roots)}");
            return;
        }

        if (name.Root == FlowScopeNames.Total)
        {
            if (name.Path.Count != 1 || !FlowScopeNames.VocalEvents.Contains(name.Path[0]))
            {
                var written = name.Path.Count > 0 ? name.Path[0] : string.Empty;
                report(name.Offset, $"expected total.<event> with one of {string.Join(", ", FlowScopeNames.VocalEvents)}, "
                    + $"got '{name.Source}'{NameSuggestions.Hint(written, FlowScopeNames.VocalEvents)}");
            }
        }
        else if (name.Root == FlowScopeNames.Vars)
        {
            if (name.Path.Count == 0)
            {
                report(name.Offset, "expected vars.<name>, got 'vars' alone");
            }
        }
        else if (name.Path.Count > 0)
        {
            report(name.Offset, $"'{name.Root}' has no fields; got '{name.Source}'");
        }
    }

    private static void CheckCall(CallNode call, Action<int, string> report)
    {
        if (!FlowFunctions.Arity.TryGetValue(call.Function, out var arity))
        {
            report(call.Offset, $"unknown function '{call.Function}'{NameSuggestions.Hint(call.Function, FlowFunctions.Arity.Keys)}; "
                + $"expected one of {string.Join(", ", FlowFunctions.Arity.Keys)}");
            return;
        }

        if (call.Arguments.Count < arity.Min || call.Arguments.Count > arity.Max)
        {
            var expected = arity.Min == arity.Max ? $"{arity.Min}" : $"{arity.Min} or {arity.Max}";
            report(call.Offset, $"{call.Function}() takes {expected} argument(s), got {call.Arguments.Count}");
            return;
        }

        if (call.Function != "open")
        {
            return;
        }

        if (call.Arguments[0] is LiteralNode { Value: var schedule })
        {
            string? error = "expected a schedule string such as \"mon-fri 09:00-17:00\"";
            if (!FlowOperators.TryGetString(schedule, out var text) || !FlowSchedule.TryParse(text, out _, out error))
            {
                report(call.Arguments[0].Offset, $"open(): {error}");
            }
        }

        if (call.Arguments.Count > 1 && call.Arguments[1] is LiteralNode { Value: var zone }
            && (!FlowOperators.TryGetString(zone, out var zoneId) || !FlowFunctions.TryFindZone(zoneId, out _)))
        {
            report(call.Arguments[1].Offset, $"open(): expected a time zone such as \"Europe/Berlin\", got {zone?.ToJsonString() ?? "null"}");
        }
    }
}
