using Microsoft.Extensions.Logging;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// One call's flow from answer to outcome: runs <see cref="FlowRunner"/> on the thread pool, stops it when the call ends
/// under it, ends the call when the flow ends, and hands the outcome to <c>CallEnded</c>. The definition is fixed when
/// the call is answered, so a live reload never changes a call in progress.
/// </summary>
public sealed partial class CallFlowRun : IDisposable
{
    /// <summary>How long <c>CallEnded</c> waits for a stopped flow: every wait in a flow goes through its token.</summary>
    internal static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly FlowDefinition _flow;
    private readonly FlowCallChannel _channel;
    private readonly FlowRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _callEnded = new();
    private readonly TaskCompletionSource<FlowResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _endedBy;
    private string? _transferredTo;
    private int _started;

    /// <summary>Prepares the run; nothing happens before <see cref="Start"/>.</summary>
    public CallFlowRun(FlowDefinition flow, FlowCallChannel channel, FlowRunner runner, TimeProvider time, ILogger logger)
    {
        _flow = flow;
        _channel = channel;
        _runner = runner;
        _time = time;
        _logger = logger;
    }

    /// <summary>The flow the call runs.</summary>
    public FlowDefinition Flow => _flow;

    /// <summary>The runner's result as it is (a simulation waits for it on its own clock); never faults.</summary>
    public Task<FlowResult> Completion => _result.Task;

    /// <summary>Starts the flow once (the call was confirmed).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// The call ended under the flow: unless the flow ended it itself (hang-up, REFER), the flow stops. The reason
    /// decides the outcome: the caller's BYE or vanished media is <c>abandoned</c>, anything else of the gateway's
    /// (shutdown, a call-length limit) is <c>failed</c>.
    /// </summary>
    public void OnCallEnded(string endedBy, string reason)
    {
        if (_channel.EndedByFlow)
        {
            return;
        }

        Interlocked.CompareExchange(ref _endedBy, endedBy == "caller" || reason == "media-timeout" ? "caller" : reason, null);
        try
        {
            _callEnded.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call is already finished.
        }
    }

    /// <summary>
    /// The far end asked for a transfer (SIP REFER) and the flow allows it: the caller is connected to
    /// <paramref name="target"/> (<see cref="FlowCallChannel.TransferRequestedAsync"/>), and on success the flow stops
    /// with outcome <c>transferred</c>, as after its own <c>transfer</c> step. A flow not running (not started, ended)
    /// refuses with 481.
    /// </summary>
    public async Task<TransferOutcome> TransferRequestedAsync(string target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0 || _result.Task.IsCompleted || _callEnded.IsCancellationRequested)
        {
            return new TransferOutcome(false, 481, "No flow running");
        }

        var outcome = await _channel.TransferRequestedAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded && Interlocked.CompareExchange(ref _transferredTo, target, null) is null)
        {
            try
            {
                _callEnded.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call is already finished.
            }
        }

        return outcome;
    }

    /// <summary>The outcome for <c>CallEnded</c>; null when the flow never started. Never faults.</summary>
    public async Task<FlowResult?> WaitResultAsync()
    {
        if (Volatile.Read(ref _started) == 0)
        {
            return null;
        }

        try
        {
            var result = await _result.Task.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
            var endedBy = Volatile.Read(ref _endedBy);
            return endedBy is null or "caller" || result.Outcome != FlowOutcome.Abandoned
                ? result
                : result with { Outcome = FlowOutcome.Failed, Detail = $"the gateway ended the call ({endedBy})" };
        }
        catch (TimeoutException)
        {
            LogStuck(_logger, _channel.Info.CallId, _flow.Name);
            return new FlowResult(FlowOutcome.Failed, null, "the flow did not stop when the call ended", _flow.Name, _flow.Version);
        }
    }

    /// <summary>Called by the call session once <c>CallEnded</c> is out.</summary>
    public void Dispose() => _callEnded.Dispose();

    private async Task RunAsync()
    {
        FlowResult result;
        try
        {
            result = await _runner.RunAsync(_flow, _channel, _channel, _callEnded.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The runner reports flow problems as outcomes; an exception here is the gateway's own failure.
            LogRunnerFailed(_logger, _channel.Info.CallId, _flow.Name, ex);
            result = new FlowResult(FlowOutcome.Failed, null, "the gateway failed: " + ex.Message, _flow.Name, _flow.Version);
        }

        if (Volatile.Read(ref _transferredTo) is { } target)
        {
            result = result with { Outcome = FlowOutcome.Transferred, Detail = target };
        }

        _result.TrySetResult(result);
        FlowRunMetrics.Outcomes.Add(1, new KeyValuePair<string, object?>("flow", _flow.Name), new KeyValuePair<string, object?>("outcome", result.Outcome.ToString().ToLowerInvariant()));
        LogFinished(_logger, _channel.Info.CallId, _flow.Name, _flow.Version, result.Outcome, result.LastStep, result.Detail);
        if (!_callEnded.IsCancellationRequested && !_channel.EndedByFlow)
        {
            // The flow ran out of steps or failed with the caller still there: the gateway hangs up (README "A flow").
            try
            {
                await _channel.HangupAsync(result.Outcome == FlowOutcome.Failed ? "flow-failed" : "flow-completed").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRunnerFailed(_logger, _channel.Info.CallId, _flow.Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} flow {Flow} ({Version}) ended {Outcome} at step {Step}: {Detail}")]
    private static partial void LogFinished(ILogger logger, string callId, string flow, string version, FlowOutcome outcome, string? step, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} flow {Flow} failed in the gateway")]
    private static partial void LogRunnerFailed(ILogger logger, string callId, string flow, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} flow {Flow} did not stop within the stop timeout after the call ended")]
    private static partial void LogStuck(ILogger logger, string callId, string flow);
}
