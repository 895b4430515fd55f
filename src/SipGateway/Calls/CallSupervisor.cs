using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>
/// Ends calls the gateway should no longer hold: no media (the caller's network died and no BYE will
/// ever come), or the flow's limits. Polls rather than arming a timer per call: a few hundred calls cost
/// microseconds per tick, and a quarter-second tick is well inside every limit it enforces.
/// </summary>
internal sealed partial class CallSupervisor(CallManager calls, ICallHangup hangup, TimeProvider time, ILogger<CallSupervisor> logger)
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                CheckOnce(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal void CheckOnce(CancellationToken cancellationToken)
    {
        foreach (var session in calls.Sessions)
        {
            try
            {
                if (session.ReasonToHangUp() is { } reason && session.TrySetHangupReason(reason))
                {
                    LogHangingUp(logger, session.CallId, reason);
                    _ = HangUpAsync(session, cancellationToken);
                }
            }
            catch (Exception ex)
            {
                LogCheckFailed(logger, session.CallId, ex);
            }
        }
    }

    private async Task HangUpAsync(CallSession session, CancellationToken cancellationToken)
    {
        try
        {
            await hangup.HangUpAsync(session.Description.DialogId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, session.CallId, ex);
        }
        catch (OperationCanceledException)
        {
            // Shutdown ends every call anyway.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hanging up call {CallId}: {Reason}")]
    private static partial void LogHangingUp(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervising call {CallId} failed")]
    private static partial void LogCheckFailed(ILogger logger, string callId, Exception exception);
}
