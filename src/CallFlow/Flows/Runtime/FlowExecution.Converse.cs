using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>The <c>converse</c> verb: the flow hands the call to a model and continues from how it ended.</summary>
internal sealed partial class FlowExecution
{
    private async ValueTask<StepTransition> ConverseAsync(ConverseStep step, CancellationToken cancellationToken)
    {
        if (_channel is not IConversationChannel conversation)
        {
            throw new FlowActionException("converse needs a model endpoint, and none is configured (Conversation:Endpoints:0:BaseUrl and :Model)");
        }

        var instructions = new StringBuilder(step.Instructions.Render(_scope));
        if (step.Goal is { } goal)
        {
            instructions.Append("\n\nGoal of this conversation: ").Append(goal.Render(_scope));
        }

        var request = new ConverseRequest(
            step.Name,
            instructions.ToString(),
            step.Greeting?.Render(_scope),
            step.Actions,
            step.Steps,
            step.MaxTurns,
            step.MaxDuration,
            step.Voice ?? _flow.Voice,
            (name, value) =>
            {
                _scope.Vars[name] = JsonValue.Create(value);
                Trace("set", $"vars.{name} (by the model)");
            },
            Trace);
        Trace("converse", string.Create(CultureInfo.InvariantCulture, $"actions {string.Join(",", step.Actions)}; up to {step.MaxTurns} turns"));
        ConverseResult result;
        _monitor.BeginWait();
        try
        {
            result = await conversation.ConverseAsync(request, cancellationToken);
        }
        finally
        {
            _monitor.EndWait();
        }

        Trace("converse", string.Create(CultureInfo.InvariantCulture, $"ended: {result.Ending} after {result.Turns} turns ({result.Detail})"));
        switch (result.Ending)
        {
            case ConverseEnding.GotoStep when result.Target is { } target && step.Steps.Contains(target):
                return StepTransition.GoTo(target);
            case ConverseEnding.Hangup:
                await HangupQuietlyAsync("model-hangup");
                return StepTransition.End(FlowOutcome.Completed, "model-hangup");
            case ConverseEnding.Transfer when step.TransferTo is { } to:
                return await TransferFromConversationAsync(step, to.Render(_scope), cancellationToken);
            case ConverseEnding.LimitReached:
                return StepTransition.GoTo(step.Next);
            default:
                if (step.Fallback is { } fallback)
                {
                    Trace("converse", $"fallback -> {fallback}");
                    return StepTransition.GoTo(fallback);
                }

                throw new FlowActionException($"the conversation failed: {result.Detail}");
        }
    }

    private async ValueTask<StepTransition> TransferFromConversationAsync(ConverseStep step, string target, CancellationToken cancellationToken)
    {
        Trace("transfer", $"{step.TransferMode.ToString().ToLowerInvariant()} to {target} (asked by the model)");
        var outcome = await _channel.TransferAsync(target, step.TransferMode, TimeSpan.FromSeconds(30), TransferRequester.Model, cancellationToken);
        if (outcome.Succeeded)
        {
            return StepTransition.End(FlowOutcome.Transferred, target);
        }

        if (step.Fallback is { } fallback)
        {
            Trace("converse", string.Create(CultureInfo.InvariantCulture, $"transfer failed ({outcome.StatusCode}); fallback -> {fallback}"));
            return StepTransition.GoTo(fallback);
        }

        throw new FlowActionException(string.Create(CultureInfo.InvariantCulture, $"transfer to {target} failed: {outcome.StatusCode} {outcome.Reason}"));
    }
}
