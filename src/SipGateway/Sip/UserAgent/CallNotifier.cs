using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The <see cref="ICallHandler"/> as the user agent calls it: every notification counted where it is an event, and a
/// handler that throws is logged and counted, never allowed to reach the receive loop. Never called under the lock.
/// </summary>
internal sealed class CallNotifier
{
    private readonly ILogger _logger;

    public CallNotifier(ICallHandler handler, ILogger logger)
    {
        Handler = handler;
        _logger = logger;
    }

    /// <summary>For the calls whose result the caller awaits and handles itself (the INVITE's decision, a REFER's transfer).</summary>
    public ICallHandler Handler { get; }

    public void Terminated(string dialogId, string endedBy, string reason)
    {
        try
        {
            Handler.OnCallTerminated(dialogId, endedBy, reason);
        }
        catch (Exception ex)
        {
            Failed(ex, nameof(ICallHandler.OnCallTerminated), dialogId);
        }
    }

    public void Confirmed(string dialogId)
    {
        try
        {
            Handler.OnCallConfirmed(dialogId);
        }
        catch (Exception ex)
        {
            Failed(ex, nameof(ICallHandler.OnCallConfirmed), dialogId);
        }
    }

    public void MediaUpdated(string dialogId, MediaUpdate update)
    {
        DialogMetrics.MediaUpdates.Add(1);
        try
        {
            Handler.OnMediaUpdated(dialogId, update);
        }
        catch (Exception ex)
        {
            Failed(ex, nameof(ICallHandler.OnMediaUpdated), dialogId);
        }
    }

    /// <summary>A key the peer sent in SIP INFO (RFC 6086).</summary>
    public void InfoDtmf(string dialogId, char digit, TimeSpan duration)
    {
        DialogMetrics.DtmfDigits.Add(1);
        try
        {
            Handler.OnDtmf(dialogId, digit, duration, DtmfSource.Info);
        }
        catch (Exception ex)
        {
            Failed(ex, nameof(ICallHandler.OnDtmf), dialogId);
        }
    }

    /// <summary>Whether the flow lets the peer transfer the call; a handler that throws refuses.</summary>
    public bool AcceptsRefer(string dialogId)
    {
        try
        {
            return Handler.AcceptsRefer(dialogId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(ex, nameof(ICallHandler.AcceptsRefer), dialogId);
            return false;
        }
    }

    /// <summary>Counts and logs a handler that threw.</summary>
    public void Failed(Exception exception, string member, string dialogId)
    {
        SipUasMetrics.HandlerErrors.Add(1);
        _logger.LogError(exception, "{Member} failed for {DialogId}", member, LogText.Safe(dialogId));
    }
}
