using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// Dispatch of requests inside a dialog: re-INVITE, UPDATE and INFO to the dialog's <see cref="InviteUsage"/>, REFER to
/// a new <see cref="ReferSubscription"/>, NOTIFY to our <see cref="TransferAttempt"/>. One lookup step finds the dialog
/// (481, CSeq order); the user agent answers through the transaction layer and tells the handler, never under the lock.
/// </content>
public sealed partial class SipUserAgentServer
{
    private const string NoSubscription = "Subscription Does Not Exist";

    /// <summary>
    /// re-INVITE (RFC 3261 §14.2): answered at once, so no 100 Trying and no CANCEL race; a 2xx is retransmitted until
    /// its ACK by the usage, any other final by the transaction (Timer G/H).
    /// </summary>
    private void HandleReInvite(SipRequest invite, string key, SipEndPoint destination)
    {
        var tx = new InviteServerTransaction(key, invite, destination, invite.To!.Tag!);
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.FindInDialog(invite, out var rejection);
            var response = rejection ?? dialog!.InDialog.Usage!.OnReInvite(invite, tx, out update);
            if (tx.State == InviteTransactionState.Proceeding)
            {
                tx.State = InviteTransactionState.Completed;
            }

            tx.LastResponse = response.ToBytes();
            _invites[key] = tx;
        }

        Send(tx.LastResponse, destination);
        if (update is not null)
        {
            NotifyMediaUpdated(dialog!.Id, update);
        }

        _ = tx.State == InviteTransactionState.Accepted ? dialog!.InDialog.Usage!.AwaitReInviteAckAsync(tx) : RetransmitFinalAsync(tx);
    }

    /// <summary>UPDATE (RFC 3311): offer/answer or a session refresh, decided by the dialog's usage.</summary>
    private void HandleUpdate(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.FindInDialog(request, out var rejection);
            response = rejection ?? dialog!.InDialog.Usage!.OnUpdate(request, out update);
        }

        RespondNonInvite(response, cacheKey, destination);
        if (update is not null)
        {
            NotifyMediaUpdated(dialog!.Id, update);
        }
    }

    /// <summary>INFO (RFC 6086): a DTMF key the usage read goes to the handler after the 200 is sent.</summary>
    private void HandleInfo(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        SipDialog? dialog;
        char digit = default;
        var duration = TimeSpan.Zero;
        lock (_sync)
        {
            dialog = _dialogs.FindInDialog(request, out var rejection);
            response = rejection ?? dialog!.InDialog.Usage!.OnInfo(request, out digit, out duration);
        }

        RespondNonInvite(response, cacheKey, destination);
        if (digit == default || response.StatusCode != 200)
        {
            return;
        }

        DialogMetrics.DtmfDigits.Add(1);
        try
        {
            _handler.OnDtmf(dialog!.Id, digit, duration, DtmfSource.Info);
        }
        catch (Exception ex)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "OnDtmf failed for {DialogId}", LogText.Safe(dialog!.Id));
        }
    }

    private void NotifyMediaUpdated(string dialogId, MediaUpdate update)
    {
        DialogMetrics.MediaUpdates.Add(1);
        try
        {
            _handler.OnMediaUpdated(dialogId, update);
        }
        catch (Exception ex)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "OnMediaUpdated failed for {DialogId}", LogText.Safe(dialogId));
        }
    }

    /// <summary>
    /// NOTIFY of a REFER subscription (RFC 3515 §2.4.5): every one gets 200; a final sipfrag status or
    /// Subscription-State: terminated ends the transfer. A NOTIFY for no subscription of ours gets 481 (RFC 6665 §4.1.3).
    /// </summary>
    private void HandleNotify(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        TransferAttempt? attempt = null;
        lock (_sync)
        {
            var dialog = _dialogs.FindInDialog(request, out var rejection, NoSubscription);
            if (dialog is null)
            {
                response = rejection!;
            }
            else if (dialog.InDialog.Transfer is null || !TransferAttempt.IsReferEvent(request.Headers.GetFirst(SipHeaderId.Event)))
            {
                response = CreateResponse(request, 481, NoSubscription);
            }
            else
            {
                response = CreateResponse(request, 200, "OK");
                attempt = dialog.InDialog.Transfer;
            }
        }

        RespondNonInvite(response, cacheKey, destination);
        attempt?.OnNotify(request, _logger);
    }

    /// <summary>
    /// A REFER from the peer (RFC 3515 §2.4.2): 481 outside a dialog, 400 without exactly one Refer-To (§2.4.1), 491
    /// while another is being reported on, 603 when the handler refuses, else 202 and the subscription's NOTIFYs. A
    /// Refer-To we cannot call (not SIP, embedded headers) still gets 202 and a failure sipfrag: §2.4.2 lets us accept
    /// first and report the failure in the subscription.
    /// </summary>
    private void HandleRefer(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse? response = null;
        SipDialog? dialog;
        ReferSubscription? subscription = null;
        lock (_sync)
        {
            dialog = _dialogs.FindInDialog(request, out response);
            if (dialog is not null)
            {
                subscription = ReferSubscription.TryStart(dialog, request, this, out response);
            }
        }

        if (subscription is not null && !AcceptsRefer(dialog!.Id))
        {
            lock (_sync)
            {
                dialog.InDialog.Refer = null;
            }

            subscription = null;
            response = CreateResponse(request, 603, "Decline");
        }

        response ??= CreateResponse(request, 202, "Accepted");
        DialogMetrics.RefersReceived.Add(1, new KeyValuePair<string, object?>("response", response.StatusCode));
        RespondNonInvite(response, cacheKey, destination);
        if (subscription is not null)
        {
            var dialogId = dialog!.Id;
            _ = RunReferAsync(subscription, dialogId);
        }
    }

    private async Task RunReferAsync(ReferSubscription subscription, string dialogId)
    {
        var result = await subscription.RunAsync(ct => _handler.OnReferAsync(dialogId, subscription.Target, ct), _options.TransferTimeout);
        DialogMetrics.ReferredTransfers.Add(1, new KeyValuePair<string, object?>("status", result.StatusCode));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation(
                "Transfer of {DialogId} asked for by REFER to {Target} ended {Status} {Reason}",
                LogText.Safe(dialogId), LogText.Safe(subscription.Target), result.StatusCode, LogText.Safe(result.Reason));
        }
    }

    private bool AcceptsRefer(string dialogId)
    {
        try
        {
            return _handler.AcceptsRefer(dialogId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "AcceptsRefer failed for {DialogId}", LogText.Safe(dialogId));
            return false;
        }
    }
}
