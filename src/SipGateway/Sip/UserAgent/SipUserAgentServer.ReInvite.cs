using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// re-INVITE inside an established dialog (RFC 3261 §14.2, RFC 3264 §8): hold/unhold, codec and address changes,
/// offer-less re-INVITEs answered in the ACK. Answered at once, so no 100 Trying and no CANCEL race.
/// </summary>
public sealed partial class SipUserAgentServer
{
    private void HandleReInvite(SipRequest invite, string key, SipEndPoint destination)
    {
        var tx = new InviteServerTransaction(key, invite, destination, invite.To!.Tag!);
        SipResponse response;
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = FindDialog(invite);
            if (dialog is null)
            {
                response = CreateResponse(invite, 481, "Call/Transaction Does Not Exist");
            }
            else if (CheckInDialogCSeq(dialog, invite) is { } outOfOrder)
            {
                response = outOfOrder;
            }
            else if (dialog.InDialog.PendingReInvite is not null || dialog.InDialog.LocalRequestPending || !dialog.Confirmed)
            {
                // RFC 3261 §14.2: an INVITE while one of ours (or the previous one's ACK) is outstanding gets 491 and
                // the session is left as it was; the peer retries after a random back-off (§14.1).
                response = CreateResponse(invite, 491, "Request Pending");
                DialogMetrics.RequestPending.Add(1);
            }
            else if (IsSessionIntervalTooSmall(invite))
            {
                response = CreateSessionIntervalTooSmall(invite);
            }
            else if (AnswerOffer(dialog, invite, out update, out var answer) is { } rejection)
            {
                response = rejection;
            }
            else
            {
                response = CreateInDialogOk(dialog, invite, answer);
                tx.State = InviteTransactionState.Accepted;
                dialog.InDialog.PendingReInvite = tx;
                dialog.InDialog.AnswerExpectedInAck = invite.Body.IsEmpty;
                if (invite.Body.IsEmpty)
                {
                    // RFC 3261 §14.2: no offer in the re-INVITE, so the 2xx carries ours and the ACK brings the answer.
                    response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
                    response.Body = dialog.InDialog.Media!.Offer();
                }

                ApplySessionTimer(dialog, invite, response);
            }

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

        _ = tx.State == InviteTransactionState.Accepted ? AwaitReInviteAckAsync(dialog!, tx) : RetransmitFinalAsync(tx);
    }

    /// <summary>
    /// Parses and answers the SDP offer of a re-INVITE or UPDATE. Returns the rejection to send, or null and the
    /// answer (null when the request had no offer). A failed offer leaves the session as it was (RFC 3261 §14.2).
    /// Called under the lock.
    /// </summary>
    private SipResponse? AnswerOffer(SipDialog dialog, SipRequest request, out MediaUpdate? update, out byte[]? answer)
    {
        update = null;
        answer = null;
        if (request.Body.IsEmpty)
        {
            return null;
        }

        if (!SdpAnswer.IsSdp(request.ContentType))
        {
            var unsupported = CreateResponse(request, 415, "Unsupported Media Type");
            unsupported.Headers.Add(SipHeaderId.Accept, "application/sdp");
            return unsupported;
        }

        if (!SdpParser.TryParse(request.Body.Span, out var offer, out var error))
        {
            return CreateResponse(request, 488, error);
        }

        var negotiation = SdpNegotiator.Renegotiate(offer, _codecs, dialog.InDialog.Media!.Current.Srtp);
        if (!negotiation.IsSuccess)
        {
            return CreateResponse(request, 488, negotiation.FailureReason!);
        }

        var media = dialog.InDialog.Media!;
        answer = media.Answer(offer, negotiation);
        update = MediaUpdate.From(negotiation);
        media.Current = update;
        return null;
    }

    /// <summary>2xx for a re-INVITE or UPDATE: Contact is mandatory in both (RFC 3261 §12.2.2, RFC 3311 §5.2).</summary>
    private SipResponse CreateInDialogOk(SipDialog dialog, SipRequest request, byte[]? sdp)
    {
        var response = SipResponseFactory.Create(request.Headers, 200, "OK", dialog.LocalTag, _options.UserAgent);
        response.Headers.Add(SipHeaderId.Contact, $"<sip:{_hostPort}>");
        response.Headers.Add(SipHeaderId.Allow, AllowedMethods);
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        if (sdp is not null)
        {
            response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
            response.Body = sdp;
        }

        return response;
    }

    /// <summary>Retransmits the re-INVITE's 2xx until its ACK (RFC 3261 §13.3.1.4); without one the call is ended.</summary>
    private async Task AwaitReInviteAckAsync(SipDialog dialog, InviteServerTransaction tx)
    {
        await RetransmitFinalAsync(tx);
        bool unacknowledged;
        lock (_sync)
        {
            unacknowledged = dialog.InDialog.PendingReInvite == tx;
            if (unacknowledged)
            {
                dialog.InDialog.PendingReInvite = null;
            }
        }

        if (unacknowledged && !tx.RetransmissionStop.IsCancellationRequested && dialog.TryMarkTerminated())
        {
            // RFC 3261 §14.2 → §13.3.1.4: a 2xx never acknowledged within 64*T1 means the session SHOULD be ended.
            NotifyTerminated(dialog.Id, CallTermination.Gateway, CallTermination.ReasonAckTimeout);
            await SendByeAndRemoveAsync(dialog, CancellationToken.None);
        }
    }

    /// <summary>ACK for a re-INVITE's 2xx; false when the ACK belongs to something else (the caller then tries the rest).</summary>
    private bool TryHandleReInviteAck(SipRequest ack)
    {
        SipDialog? dialog;
        InviteServerTransaction? tx;
        bool expectAnswer;
        lock (_sync)
        {
            dialog = FindDialog(ack);
            tx = dialog?.InDialog.PendingReInvite;
            if (tx is null || tx.Invite.CSeq!.Value.Number != ack.CSeq!.Value.Number)
            {
                return false;
            }

            expectAnswer = dialog!.InDialog.AnswerExpectedInAck;
            dialog.InDialog.PendingReInvite = null;
            dialog.InDialog.AnswerExpectedInAck = false;
            tx.State = InviteTransactionState.Terminated;
            tx.ExpiresAt = Stopwatch.GetTimestamp() + ToTicks(_timeout64T1);
        }

        CancelQuietly(tx.RetransmissionStop);
        if (!expectAnswer)
        {
            return true;
        }

        MediaUpdate? update;
        bool answered;
        lock (_sync)
        {
            answered = dialog.InDialog.Media!.TryTakeAnswer(ack.ContentType, ack.Body.Span, AudioCodecPreferences.Supported, out update, out _);
        }

        if (!answered)
        {
            // RFC 3261 §13.3.1.4 leaves a bad answer in an ACK to the UAS: keep the media as it was rather than drop the call.
            SipUasMetrics.BadRequests.Add(1);
            return true;
        }

        NotifyMediaUpdated(dialog.Id, update!);
        return true;
    }

    /// <summary>The dialog a request belongs to: Call-ID, our tag in To and the peer's in From (RFC 3261 §12.2.2).</summary>
    private SipDialog? FindDialog(SipRequest request)
    {
        if (request.To!.Tag is { } tag && _dialogs.TryGetValue(DialogKey(request.CallId!, tag), out var dialog)
            && string.Equals(dialog.RemoteTag, request.From!.Tag, StringComparison.Ordinal) && !dialog.IsTerminated)
        {
            return dialog;
        }

        return null;
    }

    /// <summary>RFC 3261 §12.2.2: a CSeq lower than or equal to the last one is out of order and gets 500.</summary>
    private SipResponse? CheckInDialogCSeq(SipDialog dialog, SipRequest request)
    {
        var number = request.CSeq!.Value.Number;
        if (number <= dialog.InDialog.RemoteCSeq)
        {
            return CreateResponse(request, 500, "Server Internal Error (CSeq out of order)");
        }

        dialog.InDialog.RemoteCSeq = number;
        return null;
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
