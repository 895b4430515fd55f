using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// New INVITEs, from 100 Trying to the final response (RFC 3261 §13.3): admission, the offer (or its absence, §13.2.1),
/// the handler's decision off the receive loop, early media in a 183 and its PRACK wait (RFC 3262), CANCEL (§9.2) and
/// the 2xx that sets up the dialog, retransmitted by the transaction layer until its ACK. Whichever of the handler and
/// a CANCEL (or a PRACK timeout) takes the lock first decides the final response.
/// </summary>
internal sealed class InviteAcceptor
{
    private readonly SipDialogHost _host;
    private readonly DialogTable _dialogs;
    private readonly InviteServerTransactionTable _invites;
    private readonly NonInviteResponseCache _responses;
    private readonly CallNotifier _notifier;
    private readonly InviteResponses _build;
    private readonly EarlyDialogFactory _earlyDialogs;
    private int _proceeding;

    public InviteAcceptor(SipDialogHost host, DialogTable dialogs, NonInviteResponseCache responses, CallNotifier notifier)
    {
        _host = host;
        _dialogs = dialogs;
        _invites = host.InviteTransactions;
        _responses = responses;
        _notifier = notifier;
        _build = new InviteResponses(host);
        _earlyDialogs = new EarlyDialogFactory(host, _build);
    }

    private SipOptions Options => _host.Options;

    /// <summary>
    /// An INVITE outside any dialog whose transaction is new: refused at once (503 while unavailable or full, 422, 415,
    /// 488), or answered 100 Trying and handed to the handler.
    /// </summary>
    public void OnInvite(SipRequest invite, string key, SipEndPoint source, SipEndPoint destination, SipAvailability? availability)
    {
        if (availability?.Refusal is { } refusal)
        {
            // Draining, not ready or overloaded: a load balancer retries the call elsewhere (RFC 3261 §21.5.4).
            RejectUnavailable(invite, key, destination, availability, refusal);
            return;
        }

        if (InviteUsage.IsSessionIntervalTooSmall(invite, Options.MinSessionExpires))
        {
            var minSe = InviteUsage.MinSeValue(Options.MinSessionExpires);
            Reject(invite, key, destination, 422, "Session Interval Too Small", h => h.Add(SessionExpires.MinSeHeader, minSe));
            return;
        }

        // An offer-less INVITE (RFC 3261 §13.2.1) wants our offer in the 2xx: offer and negotiation stay null.
        SdpSessionDescription? offer = null;
        SdpNegotiationResult? negotiation = null;
        if (!invite.Body.IsEmpty)
        {
            if (!SdpAnswer.IsSdp(invite.ContentType))
            {
                Reject(invite, key, destination, 415, "Unsupported Media Type", h => h.Add(SipHeaderId.Accept, "application/sdp"));
                return;
            }

            if (!SdpParser.TryParse(invite.Body.Span, out offer, out var sdpError))
            {
                Reject(invite, key, destination, 488, sdpError);
                return;
            }

            negotiation = SdpNegotiator.Negotiate(offer, _host.Codecs, Options.Srtp);
            if (!negotiation.IsSuccess)
            {
                // RFC 3261 §13.3.1.3 / RFC 3264 §6: no acceptable media is 488 Not Acceptable Here.
                Reject(invite, key, destination, 488, negotiation.FailureReason!);
                return;
            }
        }

        var tx = new InviteServerTransaction(key, invite, destination, _host.NewToken())
        {
            LastResponse = SipResponseFactory.Create(invite.Headers, 100, "Trying", null, Options.UserAgent).ToBytes(),
        };
        var dialogId = DialogTable.Key(invite.CallId!, tx.LocalTag);

        // An offer-less INVITE gets our offer, RTP/SAVP with one SDES key (SrtpOfferPolicy) when the call is to be SRTP:
        // the same offer in the reliable 183 and in the 200, which repeats it byte for byte (RFC 3261 §13.2.1).
        var srtpOffer = negotiation is null ? SrtpOfferPolicy.KeyFor(Options.Srtp, SrtpOfferPolicy.IsSecureSignalling(source.Protocol, invite.RequestUri)) : null;
        tx.Early = _earlyDialogs.Create(tx, offer, negotiation, srtpOffer, dialogId, () => RejectUnacknowledged(tx));

        // The hard cap (Calls:MaxConcurrentCalls) is checked here, under the lock, so that a burst of INVITEs cannot
        // overshoot it the way a check before the lock could.
        var limit = availability is { MaxCalls: > 0 } capped ? Math.Min(Options.MaxDialogs, capped.MaxCalls) : Options.MaxDialogs;
        bool admitted;
        lock (_host.Sync)
        {
            admitted = _dialogs.Count + _proceeding < limit;
            if (admitted)
            {
                _invites.Put(tx);
                _proceeding++;
                if (tx.Early is { } early)
                {
                    // The early dialog exists from now on (RFC 3261 §12.1.1): a PRACK finds it like any in-dialog request.
                    _dialogs.AddEarly(early);
                }
            }
        }

        if (!admitted)
        {
            tx.Early?.Dispose();
            if (availability is not null)
            {
                RejectUnavailable(invite, key, destination, availability, availability.Full);
            }
            else
            {
                Reject(invite, key, destination, 503, "Service Unavailable", h => h.Add(SipHeaderId.RetryAfter, "5"));
            }

            return;
        }

        _host.Send(tx.LastResponse!, destination);
        var call = negotiation is null ? DelayedOffer.Describe(dialogId, invite, _host.Codecs, source.Address, srtpOffer, tx.Early) : new IncomingCall
        {
            DialogId = dialogId,
            CallId = invite.CallId!,
            FromUri = invite.From!.Uri,
            ToUri = invite.To!.Uri,
            RemoteRtp = negotiation.RemoteRtp!,
            Codec = negotiation.Codec!,
            TelephoneEventPayloadType = negotiation.TelephoneEventPayloadType,
            Srtp = negotiation.Srtp,
            RemoteSignalling = source.Address,
            EarlyMedia = tx.Early,
        };
        _ = Task.Run(async () =>
        {
            // Started on the pool thread, not the receive loop, so Activity.Current never leaks into later datagrams.
            using var setup = SipTracing.Source.StartActivity("sip.invite", ActivityKind.Server);
            setup?.SetTag("sip.call_id", LogText.Safe(call.CallId)).SetTag("sip.codec", call.Codec.EncodingName);
            await DecideAsync(tx, call, offer, negotiation);
        });
    }

    /// <summary>503 with the refusal's Retry-After, counted by its reason.</summary>
    private void RejectUnavailable(SipRequest invite, string key, SipEndPoint destination, SipAvailability availability, SipRefusal refusal)
    {
        availability.OnRefused(refusal);
        Reject(invite, key, destination, 503, "Service Unavailable", h => h.Add(SipHeaderId.RetryAfter, refusal.RetryAfter));
    }

    /// <summary>A new INVITE refused before the handler hears of it: the final response, retransmitted until its ACK (Timer G/H).</summary>
    public void Reject(SipRequest invite, string key, SipEndPoint destination, int code, string reason, Action<SipHeaders>? addHeaders = null)
    {
        var tx = new InviteServerTransaction(key, invite, destination, _host.NewToken()) { State = InviteTransactionState.Completed };
        var response = _build.Final(tx, code, reason);
        addHeaders?.Invoke(response.Headers);
        tx.LastResponse = response.ToBytes();
        lock (_host.Sync)
        {
            if (!_invites.TryAdd(tx))
            {
                return;
            }
        }

        SipUasMetrics.CallsRejected.Add(1);
        _host.Send(tx.LastResponse, destination);
        _ = _invites.RetransmitFinalAsync(tx);
    }

    /// <summary>
    /// CANCEL (RFC 3261 §9.2): a matching one always gets 200, and only an INVITE still without a final response gets
    /// 487 and its handler cancelled; one that matches no INVITE transaction gets 481.
    /// </summary>
    public void OnCancel(SipRequest cancel, string cacheKey, SipEndPoint destination)
    {
        InviteServerTransaction? cancelled = null;
        SipResponse response;
        lock (_host.Sync)
        {
            if (!_invites.TryGet(ServerTransactionKey.Of(cancel), out var tx))
            {
                response = _host.CreateResponse(cancel, 481, "Call/Transaction Does Not Exist");
            }
            else
            {
                response = _host.CreateResponse(cancel, 200, "OK", toTag: tx.LocalTag);
                if (tx.State == InviteTransactionState.Proceeding)
                {
                    tx.State = InviteTransactionState.Completed;
                    tx.LastResponse = _build.Final(tx, 487, "Request Terminated").ToBytes();
                    EndEarlyDialog(tx);
                    cancelled = tx;
                }
            }
        }

        _responses.Respond(response, cacheKey, destination);
        if (cancelled is not null)
        {
            cancelled.Early?.Stop();
            _host.Send(cancelled.LastResponse!, cancelled.ResponseDestination);
            cancelled.CancelHandler();
            _ = _invites.RetransmitFinalAsync(cancelled);
        }
    }

    /// <summary>Runs the handler without holding the lock; whichever of handler completion and CANCEL takes the lock first decides the final response.</summary>
    private async Task DecideAsync(InviteServerTransaction tx, IncomingCall call, SdpSessionDescription? offer, SdpNegotiationResult? negotiation)
    {
        MediaAcceptance? acceptance;
        try
        {
            acceptance = await _notifier.Handler.OnIncomingCallAsync(call, tx.HandlerCancellation.Token);
        }
        catch (OperationCanceledException) when (tx.HandlerCancellation.IsCancellationRequested)
        {
            acceptance = null;
        }
        catch (Exception ex)
        {
            _notifier.Failed(ex, nameof(ICallHandler.OnIncomingCallAsync), call.DialogId);
            acceptance = MediaAcceptance.Reject(500, "Server Internal Error");
        }

        acceptance ??= MediaAcceptance.Reject(487, "Request Terminated");
        if (acceptance.IsAccepted && tx.Early is { } early)
        {
            // RFC 3262 §3: the 2xx waits for the PRACK of an outstanding reliable 183 (64*T1 at most; a timeout or
            // CANCEL has ended the transaction by then, which the state check below sees).
            await early.WhenSettledAsync();
        }

        Activity.Current?.SetTag("sip.accepted", acceptance.IsAccepted).SetTag("sip.status_code", acceptance.IsAccepted ? 200 : acceptance.StatusCode);
        string? releaseReason = null;
        byte[]? final = null;
        lock (_host.Sync)
        {
            _proceeding--;
            if (tx.State != InviteTransactionState.Proceeding)
            {
                // CANCEL won (RFC 3261 §9.2): 487 already went out; release media the handler may have allocated.
                releaseReason = acceptance.IsAccepted ? tx.AbandonReason ?? CallTermination.ReasonCancel : null;
            }
            else if (acceptance.IsAccepted && !_host.Stopping.IsCancellationRequested)
            {
                var response = _build.CreateOk(tx, offer, negotiation, acceptance.LocalRtp!, call.OfferedSrtpKey, out var media);
                tx.Dialog = InviteResponses.CreateDialog(tx, call);
                var usage = new InviteUsage(tx.Dialog, _host, media);
                usage.AcceptInitialInvite(tx.Invite, response);
                if (tx.Early is { } answered)
                {
                    // The early dialog becomes the confirmed one (RFC 3261 §12.1.1); requests in it, PRACKs, moved
                    // the caller's CSeq on (§12.2.2).
                    tx.Dialog.InDialog.RemoteCSeq = Math.Max(tx.Dialog.InDialog.RemoteCSeq, answered.RemoteCSeq);
                }

                tx.Dialog.InDialog.Usage = usage;
                // An offer-less INVITE gets our offer in the 2xx and the answer in the ACK, unless a PRACK already
                // answered the offer in our reliable 183 (RFC 3262 §5), which the 2xx then repeats.
                tx.Dialog.InDialog.AnswerExpectedInAck = offer is null && tx.Early is not { Answered: true };
                _dialogs.Add(tx.Dialog);
                tx.State = InviteTransactionState.Accepted;
                final = response.ToBytes();
            }
            else
            {
                var (code, reason) = acceptance.IsAccepted ? (503, "Service Unavailable") : (acceptance.StatusCode, acceptance.Reason);
                releaseReason = acceptance.IsAccepted ? CallTermination.ReasonShutdown : null;
                tx.State = InviteTransactionState.Completed;
                final = _build.Final(tx, code, reason).ToBytes();
            }

            if (final is not null)
            {
                tx.LastResponse = final;
            }

            EndEarlyDialog(tx);
        }

        if (releaseReason is not null)
        {
            var endedBy = releaseReason == CallTermination.ReasonCancel ? CallTermination.Caller : CallTermination.Gateway;
            _notifier.Terminated(call.DialogId, endedBy, releaseReason);
        }

        tx.Early?.Stop();
        if (final is not null)
        {
            (tx.State == InviteTransactionState.Accepted ? SipUasMetrics.CallsAccepted : SipUasMetrics.CallsRejected).Add(1);
            _host.Send(final, tx.ResponseDestination);
            await AwaitAckAsync(tx);
        }
    }

    /// <summary>
    /// The final response is retransmitted by the transaction layer until its ACK; a 2xx still unacknowledged after
    /// 64*T1 ends the dialog it set up with BYE (RFC 3261 §13.3.1.4).
    /// </summary>
    private async Task AwaitAckAsync(InviteServerTransaction tx)
    {
        if (!await _invites.RetransmitFinalAsync(tx))
        {
            return;
        }

        SipDialog? unacknowledged;
        lock (_host.Sync)
        {
            unacknowledged = tx.Dialog is { Confirmed: false } dialog ? dialog : null;
        }

        if (unacknowledged is null || unacknowledged.IsTerminated)
        {
            return;
        }

        if (_host.Logger.IsEnabled(LogLevel.Information))
        {
            _host.Logger.LogInformation("No ACK for 200 OK of {DialogId} within 64*T1; sending BYE", LogText.Safe(unacknowledged.Id));
        }

        await _host.EndAsync(unacknowledged, CallTermination.ReasonAckTimeout, null);
    }

    /// <summary>The INVITE has its final response or was cancelled: its early dialog leaves the table. Under the lock.</summary>
    private void EndEarlyDialog(InviteServerTransaction tx)
    {
        if (tx.Early is { } early)
        {
            _dialogs.RemoveEarly(early.Id);
        }
    }

    /// <summary>RFC 3262 §3: no PRACK for the reliable 183 within 64*T1, so the INVITE is rejected with a 5xx.</summary>
    private void RejectUnacknowledged(InviteServerTransaction tx)
    {
        lock (_host.Sync)
        {
            if (tx.State != InviteTransactionState.Proceeding)
            {
                return;
            }

            tx.State = InviteTransactionState.Completed;
            tx.AbandonReason = CallTermination.ReasonPrackTimeout;
            tx.LastResponse = _build.Final(tx, 504, "Provisional Response Not Acknowledged").ToBytes();
            EndEarlyDialog(tx);
        }

        SipUasMetrics.CallsRejected.Add(1);
        if (_host.Logger.IsEnabled(LogLevel.Information))
        {
            _host.Logger.LogInformation("No PRACK for the reliable 183 of {CallId} within 64*T1; answering 504", LogText.Safe(tx.Invite.CallId!));
        }

        tx.Early?.Stop();
        _host.Send(tx.LastResponse!, tx.ResponseDestination);
        tx.CancelHandler();
        _ = _invites.RetransmitFinalAsync(tx);
    }
}
