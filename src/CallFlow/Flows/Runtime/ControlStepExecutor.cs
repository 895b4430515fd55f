using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The verbs that steer the flow rather than talk to the caller: <c>branch</c>, <c>set</c>, <c>hangup</c>.</summary>
internal sealed class ControlStepExecutor(FlowStepContext context)
{
    public StepTransition Branch(BranchStep step)
    {
        foreach (var branchCase in step.Cases)
        {
            if (branchCase.Condition.IsTrue(context.Scope))
            {
                context.Trace("branch", $"{branchCase.Condition.Source} -> {branchCase.Goto}");
                return StepTransition.GoTo(branchCase.Goto);
            }
        }

        var target = step.Else ?? step.Next;
        context.Trace("branch", $"else -> {target ?? "(end)"}");
        return StepTransition.GoTo(target);
    }

    public StepTransition Set(SetStep step)
    {
        // In the order written, so a later value can use an earlier one.
        foreach (var (name, source) in step.Values)
        {
            var value = source.Evaluate(context.Scope);
            context.Scope.Vars[name] = value;
            context.Trace("set", $"vars.{name} = {value?.ToJsonString() ?? "null"}");
        }

        return StepTransition.GoTo(step.Next);
    }

    public async ValueTask<StepTransition> HangupAsync(HangupStep step)
    {
        // The outcome is decided before the BYE goes out, so the caller's own BYE crossing ours cannot turn it
        // into "abandoned".
        await context.HangupQuietlyAsync(step.Reason);
        return StepTransition.End(FlowOutcome.Completed, step.Reason);
    }
}
