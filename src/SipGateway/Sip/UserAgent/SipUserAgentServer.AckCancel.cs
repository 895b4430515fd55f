using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>ACK and CANCEL for INVITE server transactions (RFC 3261 §9.2, §13.3.1.4, §17.2.1).</content>
public sealed partial class SipUserAgentServer
{
    private void HandleAck(SipRequest ack)
    {
        if (TryHandleReInviteAck(ack))
        {
            return;
        }

        SipDialog? confirmed = null;
        InviteServerTransaction? stopped = null;
        var expectAnswer = false;
        lock (_sync)
        {
            // ACK for a 2xx is its own transaction and matches the dialog (RFC 3261 §13.3.1.4, §17.1.1.3).
            if (ack.To!.Tag is { } tag && _dialogs.TryGetValue(DialogKey(ack.CallId!, tag), out var dialog)
                && dialog.Invite.State == InviteTransactionState.Accepted && ack.CSeq!.Value.Number == dialog.Invite.Invite.CSeq!.Value.Number)
            {
                dialog.Confirmed = true;
                stopped = dialog.Invite;
                confirmed = dialog.IsTerminated ? null : dialog;
                expectAnswer = dialog.InDialog.AnswerExpectedInAck;
                dialog.InDialog.AnswerExpectedInAck = false;
            }
            else if (_invites.TryGetValue(TransactionKey(ack), out var tx) && tx.State == InviteTransactionState.Completed)
            {
                // ACK for a non-2xx final ends Timer G/H; Confirmed absorbs further ACKs for Timer I (RFC 3261 §17.2.1).
                tx.State = InviteTransactionState.Confirmed;
                tx.ExpiresAt = Stopwatch.GetTimestamp() + (tx.ResponseDestination.Protocol == SipTransportProtocol.Udp ? ToTicks(_options.T4) : 0);
                stopped = tx;
            }

            if (stopped is { State: InviteTransactionState.Accepted })
            {
                stopped.State = InviteTransactionState.Terminated;
                stopped.ExpiresAt = Stopwatch.GetTimestamp() + ToTicks(_timeout64T1);
            }
        }

        if (stopped is not null)
        {
            CancelQuietly(stopped.RetransmissionStop);
        }

        if (confirmed is null)
        {
            return;
        }

        if (expectAnswer && !TakeAnswerFromAck(confirmed, ack))
        {
            return;
        }

        NotifyConfirmed(confirmed.Id);
    }

    /// <summary>
    /// The answer to the offer our 2xx made for a delayed-offer INVITE (RFC 3261 §13.2.1, §13.3.1.4). Without a usable
    /// one the call cannot carry audio: it is ended with BYE naming the reason (RFC 3326), counted, and the handler hears
    /// OnCallTerminated instead of OnCallConfirmed. Returns whether the call goes on.
    /// </summary>
    private bool TakeAnswerFromAck(SipDialog dialog, SipRequest ack)
    {
        MediaUpdate? update;
        string failure;
        bool answered;
        lock (_sync)
        {
            answered = dialog.InDialog.Media!.TryTakeAnswer(ack.ContentType, ack.Body.Span, _codecs, out update, out failure);
        }

        if (answered)
        {
            NotifyMediaUpdated(dialog.Id, update!);
            return true;
        }

        SipUasMetrics.DelayedOfferFailures.Add(1, new KeyValuePair<string, object?>("reason", failure == SdpAnswer.Missing ? "missing" : "unusable"));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("ACK of {DialogId} brought {Failure} to our offer; ending the call with BYE", LogText.Safe(dialog.Id), failure);
        }

        var reason = failure == SdpAnswer.Missing ? CallTermination.ReasonNoAnswer : CallTermination.ReasonBadAnswer;
        _ = EndDialogAsync(dialog, reason, DelayedOffer.ByeReason(failure));
        return false;
    }

    private void HandleCancel(SipRequest cancel, string cacheKey, SipEndPoint destination)
    {
        InviteServerTransaction? cancelled = null;
        SipResponse response;
        lock (_sync)
        {
            if (!_invites.TryGetValue(TransactionKey(cancel), out var tx))
            {
                response = CreateResponse(cancel, 481, "Call/Transaction Does Not Exist");
            }
            else
            {
                // RFC 3261 §9.2: a matching CANCEL always gets 200; only an INVITE still without a final response gets 487.
                response = CreateResponse(cancel, 200, "OK", toTag: tx.LocalTag);
                if (tx.State == InviteTransactionState.Proceeding)
                {
                    tx.State = InviteTransactionState.Completed;
                    tx.LastResponse = SipResponseFactory.Create(tx.Invite.Headers, 487, "Request Terminated", tx.LocalTag, _options.UserAgent).ToBytes();
                    cancelled = tx;
                }
            }
        }

        RespondNonInvite(response, cacheKey, destination);
        if (cancelled is not null)
        {
            ForgetEarlyDialog(cancelled);
            Send(cancelled.LastResponse!, cancelled.ResponseDestination);
            CancelQuietly(cancelled.HandlerCancellation);
            _ = RetransmitFinalAsync(cancelled);
        }
    }
}
