using System.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>ACK and CANCEL for INVITE server transactions (RFC 3261 §9.2, §13.3.1.4, §17.2.1).</content>
public sealed partial class SipUserAgentServer
{
    private void HandleAck(SipRequest ack)
    {
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = _dialogs.Find(ack);
        }

        if (dialog?.InDialog.Usage?.TryTakeReInviteAck(ack) == true)
        {
            return;
        }

        SipDialog? confirmed = null;
        InviteServerTransaction? stopped = null;
        var expectAnswer = false;
        lock (_sync)
        {
            // ACK for a 2xx is its own transaction and matches the dialog (RFC 3261 §13.3.1.4, §17.1.1.3).
            if (_dialogs.ByOurTag(ack) is { } answered
                && answered.Invite.State == InviteTransactionState.Accepted && ack.CSeq!.Value.Number == answered.Invite.Invite.CSeq!.Value.Number)
            {
                answered.Confirmed = true;
                stopped = answered.Invite;
                confirmed = answered.IsTerminated ? null : answered;
                expectAnswer = answered.InDialog.AnswerExpectedInAck;
                answered.InDialog.AnswerExpectedInAck = false;
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
                stopped.Terminate(_timeout64T1);
            }
        }

        stopped?.StopRetransmissions();
        if (confirmed is null || (expectAnswer && !confirmed.InDialog.Usage!.TakeInitialAnswer(ack)))
        {
            return;
        }

        NotifyConfirmed(confirmed.Id);
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
            cancelled.CancelHandler();
            _ = RetransmitFinalAsync(cancelled);
        }
    }
}
