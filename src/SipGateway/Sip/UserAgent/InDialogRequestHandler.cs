using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Requests within a dialog: the ACK of our 2xx, BYE, re-INVITE, UPDATE and INFO to the dialog's
/// <see cref="InviteUsage"/>, REFER to a new <see cref="ReferSubscription"/>, NOTIFY to our <see cref="TransferAttempt"/>,
/// and PRACK to the early dialog of a ringing INVITE (RFC 3262 §7.2). One lookup step in the <see cref="DialogTable"/>
/// finds the dialog (481, CSeq order, RFC 3261 §12.2.2); answers go through the transaction layer and the handler is
/// told afterwards, never under the lock.
/// </summary>
internal sealed class InDialogRequestHandler
{
    private const string NoSubscription = "Subscription Does Not Exist";

    private readonly SipDialogHost _host;
    private readonly DialogTable _dialogs;
    private readonly InviteServerTransactionTable _invites;
    private readonly NonInviteResponseCache _responses;
    private readonly CallNotifier _notifier;

    public InDialogRequestHandler(SipDialogHost host, DialogTable dialogs, NonInviteResponseCache responses, CallNotifier notifier)
    {
        _host = host;
        _dialogs = dialogs;
        _invites = host.InviteTransactions;
        _responses = responses;
        _notifier = notifier;
    }

    /// <summary>
    /// ACK: for a re-INVITE's 2xx, to the dialog's usage; for the initial INVITE's 2xx it is its own transaction that
    /// confirms the dialog (RFC 3261 §13.3.1.4, §17.1.1.3); for a non-2xx final it ends Timer G/H (§17.2.1).
    /// </summary>
    public void OnAck(SipRequest ack)
    {
        SipDialog? dialog;
        lock (_host.Sync)
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
        lock (_host.Sync)
        {
            if (_dialogs.ByOurTag(ack) is { } answered
                && answered.Invite.State == InviteTransactionState.Accepted && ack.CSeq!.Value.Number == answered.Invite.Invite.CSeq!.Value.Number)
            {
                answered.Confirmed = true;
                stopped = answered.Invite;
                confirmed = answered.IsTerminated ? null : answered;
                expectAnswer = answered.InDialog.AnswerExpectedInAck;
                answered.InDialog.AnswerExpectedInAck = false;
                _invites.Terminate(stopped);
            }
            else
            {
                // Confirmed absorbs further ACKs for Timer I (RFC 3261 §17.2.1).
                stopped = _invites.TryConfirm(ServerTransactionKey.Of(ack));
            }
        }

        stopped?.StopRetransmissions();
        if (confirmed is null || (expectAnswer && !confirmed.InDialog.Usage!.TakeInitialAnswer(ack)))
        {
            return;
        }

        _notifier.Confirmed(confirmed.Id);
    }

    /// <summary>BYE (RFC 3261 §15.1.2): 200 and the call ends, also for a dialog we are already ending (BYE glare).</summary>
    public void OnBye(SipRequest bye, string cacheKey, SipEndPoint destination)
    {
        SipDialog? ended = null;
        var notify = false;
        lock (_host.Sync)
        {
            if (_dialogs.Find(bye, includeEnded: true) is { } dialog)
            {
                ended = dialog;
                notify = dialog.TryMarkTerminated();
                _dialogs.Remove(dialog.Id);
                if (dialog.Invite.State == InviteTransactionState.Accepted)
                {
                    _invites.Terminate(dialog.Invite);
                }
            }
        }

        if (ended is null)
        {
            // RFC 3261 §12.2.2: a request for a dialog we do not have gets 481.
            _responses.Respond(_host.CreateResponse(bye, 481, "Call/Transaction Does Not Exist"), cacheKey, destination);
            return;
        }

        _responses.Respond(_host.CreateResponse(bye, 200, "OK"), cacheKey, destination);
        ended.Invite.StopRetransmissions();
        if (notify)
        {
            _notifier.Terminated(ended.Id, CallTermination.Caller, CallTermination.ReasonBye);
        }
    }

    /// <summary>
    /// re-INVITE (RFC 3261 §14.2): answered at once, so no 100 Trying and no CANCEL race; a 2xx is retransmitted until
    /// its ACK by the usage, any other final by the transaction (Timer G/H).
    /// </summary>
    public void OnReInvite(SipRequest invite, string key, SipEndPoint destination)
    {
        var tx = new InviteServerTransaction(key, invite, destination, invite.To!.Tag!);
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_host.Sync)
        {
            dialog = _dialogs.FindInDialog(invite, out var rejection);
            var response = rejection ?? dialog!.InDialog.Usage!.OnReInvite(invite, tx, out update);
            if (tx.State == InviteTransactionState.Proceeding)
            {
                tx.State = InviteTransactionState.Completed;
            }

            tx.LastResponse = response.ToBytes();
            _invites.Put(tx);
        }

        _host.Send(tx.LastResponse, destination);
        if (update is not null)
        {
            _notifier.MediaUpdated(dialog!.Id, update);
        }

        _ = tx.State == InviteTransactionState.Accepted ? dialog!.InDialog.Usage!.AwaitReInviteAckAsync(tx) : _invites.RetransmitFinalAsync(tx);
    }

    /// <summary>UPDATE (RFC 3311): offer/answer or a session refresh, decided by the dialog's usage.</summary>
    public void OnUpdate(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_host.Sync)
        {
            dialog = _dialogs.FindInDialog(request, out var rejection);
            response = rejection ?? dialog!.InDialog.Usage!.OnUpdate(request, out update);
        }

        _responses.Respond(response, cacheKey, destination);
        if (update is not null)
        {
            _notifier.MediaUpdated(dialog!.Id, update);
        }
    }

    /// <summary>INFO (RFC 6086): a DTMF key the usage read goes to the handler after the 200 is sent.</summary>
    public void OnInfo(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        SipDialog? dialog;
        char digit = default;
        var duration = TimeSpan.Zero;
        lock (_host.Sync)
        {
            dialog = _dialogs.FindInDialog(request, out var rejection);
            response = rejection ?? dialog!.InDialog.Usage!.OnInfo(request, out digit, out duration);
        }

        _responses.Respond(response, cacheKey, destination);
        if (digit != default && response.StatusCode == 200)
        {
            _notifier.InfoDtmf(dialog!.Id, digit, duration);
        }
    }

    /// <summary>
    /// NOTIFY of a REFER subscription (RFC 3515 §2.4.5): every one gets 200; a final sipfrag status or
    /// Subscription-State: terminated ends the transfer. A NOTIFY for no subscription of ours gets 481 (RFC 6665 §4.1.3).
    /// </summary>
    public void OnNotify(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        TransferAttempt? attempt = null;
        lock (_host.Sync)
        {
            var dialog = _dialogs.FindInDialog(request, out var rejection, NoSubscription);
            if (dialog is null)
            {
                response = rejection!;
            }
            else if (dialog.InDialog.Transfer is null || !TransferAttempt.IsReferEvent(request.Headers.GetFirst(SipHeaderId.Event)))
            {
                response = _host.CreateResponse(request, 481, NoSubscription);
            }
            else
            {
                response = _host.CreateResponse(request, 200, "OK");
                attempt = dialog.InDialog.Transfer;
            }
        }

        _responses.Respond(response, cacheKey, destination);
        attempt?.OnNotify(request, _host.Logger);
    }

    /// <summary>
    /// A REFER from the peer (RFC 3515 §2.4.2): 481 outside a dialog, 400 without exactly one Refer-To (§2.4.1), 491
    /// while another is being reported on, 603 when the handler refuses, else 202 and the subscription's NOTIFYs. A
    /// Refer-To we cannot call (not SIP, embedded headers) still gets 202 and a failure sipfrag: §2.4.2 lets us accept
    /// first and report the failure in the subscription.
    /// </summary>
    public void OnRefer(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse? response = null;
        SipDialog? dialog;
        ReferSubscription? subscription = null;
        lock (_host.Sync)
        {
            dialog = _dialogs.FindInDialog(request, out response);
            if (dialog is not null)
            {
                subscription = ReferSubscription.TryStart(dialog, request, _host, out response);
            }
        }

        if (subscription is not null && !_notifier.AcceptsRefer(dialog!.Id))
        {
            lock (_host.Sync)
            {
                dialog.InDialog.Refer = null;
            }

            subscription = null;
            response = _host.CreateResponse(request, 603, "Decline");
        }

        response ??= _host.CreateResponse(request, 202, "Accepted");
        DialogMetrics.RefersReceived.Add(1, new KeyValuePair<string, object?>("response", response.StatusCode));
        _responses.Respond(response, cacheKey, destination);
        if (subscription is not null)
        {
            _ = RunReferAsync(subscription, dialog!.Id);
        }
    }

    /// <summary>
    /// PRACK (RFC 3262 §4), a request within the early dialog of a ringing INVITE (§7.2): 400 for a missing or
    /// malformed RAck; found by the same lookup step as requests in confirmed dialogs (481 for no early dialog, 500 for
    /// a CSeq out of order); then 200 when it acknowledges the outstanding reliable 183, 481 when it names nothing
    /// outstanding (a duplicate, a stale RSeq), 488/415 for a body, or, when our 183 carried an offer, 400 without the
    /// answer and 488 for an unusable one; an answer taken goes to the handler after the 200.
    /// </summary>
    public void OnPrack(SipRequest prack, string cacheKey, SipEndPoint destination)
    {
        if (RAckHeader.Of(prack) is not { } rack)
        {
            SipUasMetrics.BadRequests.Add(1);
            SipUasMetrics.Pracks.Add(1, new KeyValuePair<string, object?>("result", "malformed"));
            var reason = prack.Headers.Contains(SipHeaderId.RAck) ? "Malformed RAck" : "Missing RAck";
            _responses.Respond(_host.CreateResponse(prack, 400, reason, toTag: prack.To!.Tag), cacheKey, destination);
            return;
        }

        EarlyDialog? early;
        SipResponse? rejection;
        lock (_host.Sync)
        {
            early = _dialogs.FindEarly(prack, out rejection);
        }

        MediaUpdate? answer = null;
        var verdict = early?.OnPrack(rack, prack, out answer)
            ?? (rejection!.StatusCode == 481 ? PrackVerdict.NoMatch : new PrackVerdict(rejection.StatusCode, rejection.ReasonPhrase));
        SipUasMetrics.Pracks.Add(1, new KeyValuePair<string, object?>("result", verdict.StatusCode switch
        {
            200 => answer is null ? "acknowledged" : "acknowledged_with_answer",
            400 => "missing_answer",
            481 => "no_match",
            500 => "cseq_out_of_order",
            _ => "refused_body",
        }));
        if (!verdict.IsAcknowledged)
        {
            SipUasMetrics.BadRequests.Add(1);
        }

        _responses.Respond(_host.CreateResponse(prack, verdict.StatusCode, verdict.Reason, toTag: prack.To!.Tag), cacheKey, destination);
        if (answer is not null)
        {
            // The answer to the offer in our 183 (RFC 3262 §5): the early media now has somewhere to go.
            _notifier.MediaUpdated(early!.Id, answer);
            early.AnswerDelivered();
        }
    }

    private async Task RunReferAsync(ReferSubscription subscription, string dialogId)
    {
        var result = await subscription.RunAsync(ct => _notifier.Handler.OnReferAsync(dialogId, subscription.Target, ct), _host.Options.TransferTimeout);
        DialogMetrics.ReferredTransfers.Add(1, new KeyValuePair<string, object?>("status", result.StatusCode));
        if (_host.Logger.IsEnabled(LogLevel.Information))
        {
            _host.Logger.LogInformation(
                "Transfer of {DialogId} asked for by REFER to {Target} ended {Status} {Reason}",
                LogText.Safe(dialogId), LogText.Safe(subscription.Target), result.StatusCode, LogText.Safe(result.Reason));
        }
    }
}
