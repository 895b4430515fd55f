using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// Dispatch of the INVITE usage's requests (re-INVITE, UPDATE, INFO): one lookup step finds the dialog (481, CSeq
/// order), the dialog's <see cref="InviteUsage"/> decides, and the user agent answers through the transaction layer
/// and tells the handler, never under the lock.
/// </content>
public sealed partial class SipUserAgentServer
{
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
}
