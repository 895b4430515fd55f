using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// One call's run through one flow: the step loop, the routing of failures to <c>on_failure</c>/<c>on_error</c>, the
/// handlers' interruptions and the outcome. Each verb is run by the executor for its kind of step, which shares the
/// call's state with this loop through one <see cref="FlowStepContext"/>.
/// </summary>
internal sealed class FlowExecution : IDisposable
{
    /// <summary>Hang-up reason when the flow reaches a step without <c>next</c>.</summary>
    public const string FlowCompletedReason = "flow-completed";

    private readonly FlowStepContext _context;
    private readonly FlowDefinition _flow;
    private readonly CallFlowScope _scope;
    private readonly FlowHandlerMonitor _monitor;
    private readonly ILogger _logger;
    private readonly CancellationToken _callEnded;
    private readonly PromptStepExecutor _prompts;
    private readonly GatherStepExecutor _gather;
    private readonly ControlStepExecutor _control;
    private readonly ActionStepExecutor _actions;
    private readonly ConverseStepExecutor _converse;

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
        _logger = logger;
        _callEnded = callEnded;
        _scope = new CallFlowScope(flow, channel, time, options.TimeZone);
        _monitor = new FlowHandlerMonitor(flow.Handlers, channel.Signals);
        _context = new FlowStepContext(flow, channel, _scope, _monitor, options, new FlowTracer(observer, channel, _scope, logger), logger);
        _prompts = new PromptStepExecutor(_context);
        _gather = new GatherStepExecutor(_context, _prompts);
        _control = new ControlStepExecutor(_context);
        _actions = new ActionStepExecutor(_context, webhooks);
        _converse = new ConverseStepExecutor(_context);
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
                await _context.HangupQuietlyAsync(FlowCompletedReason);
                return Result(FlowOutcome.Completed, FlowCompletedReason);
            }

            if (!_flow.Steps.TryGetValue(next, out var step))
            {
                // Validation rejects such flows; a hand-built definition can still hold one.
                return Result(FlowOutcome.Failed, $"step '{next}' does not exist");
            }

            if (++steps > _context.Options.MaxSteps)
            {
                return Result(FlowOutcome.Failed, $"step limit of {_context.Options.MaxSteps} reached (does the flow loop without waiting?)");
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
        FlowExecutionLog.StepFailed(_logger, _context.Channel.Info.CallId, _flow.Name, step.Name, failure.Message);
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

        if (_flow.Handlers.OnError is { } onError && !_context.InErrorPath)
        {
            _context.InErrorPath = true;
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

    private ValueTask<StepTransition> ExecuteAsync(FlowStep step, CancellationToken cancellationToken) => step switch
    {
        SayStep say => _prompts.SayAsync(say, cancellationToken),
        PlayStep play => _prompts.PlayAsync(play, cancellationToken),
        PauseStep pause => _prompts.PauseAsync(pause, cancellationToken),
        GatherStep gather => _gather.GatherAsync(gather, cancellationToken),
        BranchStep branch => ValueTask.FromResult(_control.Branch(branch)),
        SetStep set => ValueTask.FromResult(_control.Set(set)),
        WebhookStep webhook => _actions.WebhookAsync(webhook, cancellationToken),
        TransferStep transfer => _actions.TransferAsync(transfer, cancellationToken),
        RecordStep record => _actions.RecordAsync(record, cancellationToken),
        HangupStep hangup => _control.HangupAsync(hangup),
        ConverseStep converse => _converse.ConverseAsync(converse, cancellationToken),
        _ => throw new FlowActionException($"verb '{step.Verb}' is not supported by this gateway"),
    };

    private void Trace(string kind, string detail) => _context.Trace(kind, detail);
}
