using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The <c>converse</c> verb: the flow hands the call to a model and continues from how it ended.</summary>
internal sealed class ConverseStepExecutor(FlowStepContext context)
{
    public async ValueTask<StepTransition> ConverseAsync(ConverseStep step, CancellationToken cancellationToken)
    {
        if (context.Channel is not IConversationChannel conversation)
        {
            throw new FlowActionException("converse needs a model endpoint, and none is configured (Conversation:Endpoints:0:BaseUrl and :Model)");
        }

        var instructions = new StringBuilder(step.Instructions.Render(context.Scope));
        if (step.Goal is { } goal)
        {
            instructions.Append("\n\nGoal of this conversation: ").Append(goal.Render(context.Scope));
        }

        var request = new ConverseRequest(
            step.Name,
            instructions.ToString(),
            step.Greeting?.Render(context.Scope),
            step.Actions,
            step.Steps,
            step.MaxTurns,
            step.MaxDuration,
            step.Voice ?? context.Flow.Voice,
            (name, value) =>
            {
                context.Scope.Vars[name] = JsonValue.Create(value);
                context.Trace("set", $"vars.{name} (by the model)");
            },
            context.Trace);
        context.Trace("converse", string.Create(CultureInfo.InvariantCulture, $"actions {string.Join(",", step.Actions)}; up to {step.MaxTurns} turns"));
        ConverseResult result;
        context.Monitor.BeginWait();
        try
        {
            result = await conversation.ConverseAsync(request, cancellationToken);
        }
        finally
        {
            context.Monitor.EndWait();
        }

        context.Trace("converse", string.Create(CultureInfo.InvariantCulture, $"ended: {result.Ending} after {result.Turns} turns ({result.Detail})"));
        switch (result.Ending)
        {
            case ConverseEnding.GotoStep when result.Target is { } target && step.Steps.Contains(target):
                return StepTransition.GoTo(target);
            case ConverseEnding.Hangup:
                await context.HangupQuietlyAsync("model-hangup");
                return StepTransition.End(FlowOutcome.Completed, "model-hangup");
            case ConverseEnding.Transfer when step.TransferTo is { } to:
                return await TransferFromConversationAsync(step, to.Render(context.Scope), cancellationToken);
            case ConverseEnding.LimitReached:
                return StepTransition.GoTo(step.Next);
            default:
                if (step.Fallback is { } fallback)
                {
                    context.Trace("converse", $"fallback -> {fallback}");
                    return StepTransition.GoTo(fallback);
                }

                throw new FlowActionException($"the conversation failed: {result.Detail}");
        }
    }

    private async ValueTask<StepTransition> TransferFromConversationAsync(ConverseStep step, string target, CancellationToken cancellationToken)
    {
        context.Trace("transfer", $"{step.TransferMode.ToString().ToLowerInvariant()} to {target} (asked by the model)");
        var outcome = await context.Channel.TransferAsync(target, step.TransferMode, TimeSpan.FromSeconds(30), TransferRequester.Model, cancellationToken);
        if (outcome.Succeeded)
        {
            return StepTransition.End(FlowOutcome.Transferred, target);
        }

        if (step.Fallback is { } fallback)
        {
            context.Trace("converse", string.Create(CultureInfo.InvariantCulture, $"transfer failed ({outcome.StatusCode}); fallback -> {fallback}"));
            return StepTransition.GoTo(fallback);
        }

        throw new FlowActionException(string.Create(CultureInfo.InvariantCulture, $"transfer to {target} failed: {outcome.StatusCode} {outcome.Reason}"));
    }
}
