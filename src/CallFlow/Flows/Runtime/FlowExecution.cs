using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// One call's run through one flow: the step loop, the routing of failures to <c>on_failure</c>/<c>on_error</c>, the
/// handlers' interruptions and the outcome. The verbs are in FlowExecution.Verbs.cs.
/// </summary>
internal sealed partial class FlowExecution : IDisposable
{
    /// <summary>Hang-up reason when the flow reaches a step without <c>next</c>.</summary>
    public const string FlowCompletedReason = "flow-completed";

    private readonly FlowDefinition _flow;
    private readonly ICallChannel _channel;
    private readonly IFlowObserver? _observer;
    private readonly IWebhookClient _webhooks;
    private readonly FlowRunnerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _callEnded;
    private readonly CallFlowScope _scope;
    private readonly FlowHandlerMonitor _monitor;

    // Set when on_error sent the flow somewhere; a second unhandled failure before the caller answers a gather
    // again ends the call instead of bouncing between a failing step and its error path.
    private bool _inErrorPath;

    public FlowExecution(
        FlowDefinition flow,
        ICallChannel channel,
        IFlowObserver? observer,
        IWebhookClient webhooks,
        TimeProvider time,
        FlowRunnerOptions options,
        ILogger logger,
        CancellationToken callEnded)
    {
        _flow = flow;
        _channel = channel;
        _observer = observer;
        _webhooks = webhooks;
        _options = options;
        _logger = logger;
        _callEnded = callEnded;
        _scope = new CallFlowScope(flow, channel, time, options.TimeZone);
        _monitor = new FlowHandlerMonitor(flow.Handlers, channel.Signals);
    }

    /// <summary>The step that ran last, or null before the first.</summary>
    public string? LastStep { get; private set; }

    public async Task<FlowResult> RunAsync()
    {
        var next = _flow.Start;
        var steps = 0;
        while (true)
        {
            if (_callEnded.IsCancellationRequested)
            {
                return Result(FlowOutcome.Abandoned, "caller hung up");
            }

            if (next is null)
            {
                await HangupQuietlyAsync(FlowCompletedReason);
                return Result(FlowOutcome.Completed, FlowCompletedReason);
            }

            if (!_flow.Steps.TryGetValue(next, out var step))
            {
                // Validation rejects such flows; a hand-built definition can still hold one.
                return Result(FlowOutcome.Failed, $"step '{next}' does not exist");
            }

            if (++steps > _options.MaxSteps)
            {
                return Result(FlowOutcome.Failed, $"step limit of {_options.MaxSteps} reached (does the flow loop without waiting?)");
            }

            LastStep = step.Name;
            _scope.Step = step.Name;
            Trace("step", step.Verb);
            var cancellation = _monitor.BeginStep(step.Name, _callEnded);
            using var activity = FlowTracing.Source.StartActivity("flow.step");
            activity?.SetTag("flow", _flow.Name).SetTag("flow.version", _flow.Version).SetTag("step", step.Name).SetTag("verb", step.Verb);
            StepTransition transition;
            try
            {
                transition = await ExecuteAsync(step, cancellation);
            }
            catch (OperationCanceledException) when (_callEnded.IsCancellationRequested)
            {
                return Result(FlowOutcome.Abandoned, "caller hung up");
            }
            catch (OperationCanceledException) when (TakeInterrupt(out var target))
            {
                next = target;
                continue;
            }
            catch (FlowActionException ex)
            {
                if (TakeInterrupt(out var target))
                {
                    next = target;
                    continue;
                }

                var recovery = RouteFailure(step, ex);
                if (recovery is null)
                {
                    return Result(FlowOutcome.Failed, $"{step.Verb} failed: {ex.Message}");
                }

                next = recovery;
                continue;
            }

            if (TakeInterrupt(out var interruptedTo))
            {
                // A handler fired while a step that does not wait (branch, set) was finishing: the handler wins.
                next = interruptedTo;
                continue;
            }

            if (transition.Outcome is { } outcome)
            {
                return Result(outcome, transition.Detail);
            }

            next = transition.Next;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _monitor.Dispose();

    private string? RouteFailure(FlowStep step, FlowActionException failure)
    {
        _scope.Errors++;
        FlowMetrics.StepFailures.Add(1, new KeyValuePair<string, object?>("flow", _flow.Name), new KeyValuePair<string, object?>("verb", step.Verb));
        Trace("error", failure.Message);
        LogStepFailed(_logger, _channel.Info.CallId, _flow.Name, step.Name, failure.Message);
        var onFailure = step switch
        {
            WebhookStep webhook => webhook.OnFailure,
            TransferStep transfer => transfer.OnFailure,
            _ => null,
        };
        if (onFailure is not null)
        {
            return onFailure;
        }

        if (_flow.Handlers.OnError is { } onError && !_inErrorPath)
        {
            _inErrorPath = true;
            FlowMetrics.HandlerFired.Add(1, new KeyValuePair<string, object?>("handler", "on_error"));
            Trace("handler", $"on_error -> {onError.Goto}");
            return onError.Goto;
        }

        return null;
    }

    private bool TakeInterrupt(out string target)
    {
        if (!_monitor.TryTakeInterrupt(out target, out var detail))
        {
            return false;
        }

        FlowMetrics.HandlerFired.Add(1, new KeyValuePair<string, object?>("handler", detail[..Math.Max(0, detail.IndexOf(':', StringComparison.Ordinal))]));
        Trace("handler", detail);
        return true;
    }

    private FlowResult Result(FlowOutcome outcome, string detail)
    {
        var name = outcome.ToString().ToLowerInvariant();
        FlowMetrics.Ended.Add(1, new KeyValuePair<string, object?>("flow", _flow.Name), new KeyValuePair<string, object?>("outcome", name));
        Trace("end", $"{name}: {detail}");
        return new FlowResult(outcome, LastStep, detail, _flow.Name, _flow.Version);
    }

    private async ValueTask HangupQuietlyAsync(string reason)
    {
        try
        {
            await _channel.HangupAsync(reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The outcome is decided; a call that is already gone cannot be hung up again.
            LogHangupFailed(_logger, _channel.Info.CallId, ex);
        }
    }

    private void Trace(string kind, string detail)
    {
        if (_observer is null)
        {
            return;
        }

        try
        {
            _observer.OnTrace(new FlowTrace(_channel.Signals.Now, kind, _scope.Step, detail));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken observer (a log sink, the simulator's printer) must not change what the caller experiences.
            LogObserverFailed(_logger, _channel.Info.CallId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: flow {Flow} step {Step} failed: {Error}")]
    private static partial void LogStepFailed(ILogger logger, string callId, string flow, string step, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: hang-up at the end of the flow failed")]
    private static partial void LogHangupFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the flow observer threw; trace entry dropped")]
    private static partial void LogObserverFailed(ILogger logger, string callId, Exception exception);
}
