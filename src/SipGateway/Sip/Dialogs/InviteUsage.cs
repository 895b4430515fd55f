using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// The INVITE usage of one dialog (RFC 5057 §3): the offer/answer of re-INVITE (RFC 3261 §14.2) and UPDATE
/// (RFC 3311), the wait for the ACK of a 2xx that carried our offer, INFO (RFC 6086) and the session timer's hooks
/// (RFC 4028). The user agent finds the dialog and keeps the transactions; this type decides what the session does.
/// Methods marked "under the lock" are called with <see cref="IDialogHost.Sync"/> held.
/// </summary>
internal sealed class InviteUsage
{
    private const string InfoPackageHeader = "Info-Package";

    private readonly SipDialog _dialog;
    private readonly IDialogHost _host;

    /// <summary>Starts the usage with the media state of the initial offer/answer. Under the lock, before the dialog enters the table.</summary>
    public InviteUsage(SipDialog dialog, IDialogHost host, DialogMediaState media)
    {
        _dialog = dialog;
        _host = host;
        dialog.InDialog.Media = media;
    }

    /// <summary>
    /// For a dialog our 2xx created: the peer's CSeq so far and, for a session timer, the 2xx's headers
    /// (RFC 3261 §12.1.1, §12.2.2, RFC 4028 §9). Under the lock, before the dialog enters the table.
    /// </summary>
    public void AcceptInitialInvite(SipRequest invite, SipResponse ok)
    {
        _dialog.InDialog.RemoteCSeq = invite.CSeq!.Value.Number;
        ApplySessionTimer(invite, ok);
    }

    /// <summary>RFC 4028 §9: a Session-Expires below our minimum is refused with 422 and our Min-SE.</summary>
    public static bool IsSessionIntervalTooSmall(SipRequest request, TimeSpan minimum) =>
        SessionExpires.TryParse(request.Headers.GetFirst(SipHeaderId.SessionExpires), out var seconds, out _)
        && TimeSpan.FromSeconds(seconds) < minimum;

    /// <summary>The Min-SE value of a 422: our minimum in whole seconds.</summary>
    public static string MinSeValue(TimeSpan minimum) => ((int)Math.Ceiling(minimum.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Answers a re-INVITE (RFC 3261 §14.2, RFC 3264 §8): hold/unhold, codec and address changes, offer-less
    /// re-INVITEs answered in the ACK. A 2xx puts <paramref name="tx"/> in Accepted and makes it the pending re-INVITE.
    /// Under the lock.
    /// </summary>
    public SipResponse OnReInvite(SipRequest invite, InviteServerTransaction tx, out MediaUpdate? update)
    {
        update = null;
        var state = _dialog.InDialog;
        if (state.PendingReInvite is not null || state.LocalRequestPending || !_dialog.Confirmed)
        {
            // RFC 3261 §14.2: an INVITE while one of ours (or the previous one's ACK) is outstanding gets 491 and
            // the session is left as it was; the peer retries after a random back-off (§14.1).
            DialogMetrics.RequestPending.Add(1);
            return _host.CreateResponse(invite, 491, "Request Pending");
        }

        if (IsSessionIntervalTooSmall(invite, _host.Options.MinSessionExpires))
        {
            return CreateSessionIntervalTooSmall(invite);
        }

        if (AnswerOffer(invite, out update, out var answer) is { } rejection)
        {
            return rejection;
        }

        var response = CreateInDialogOk(invite, answer);
        tx.State = InviteTransactionState.Accepted;
        state.PendingReInvite = tx;
        state.AnswerExpectedInAck = invite.Body.IsEmpty;
        if (invite.Body.IsEmpty)
        {
            // RFC 3261 §14.2: no offer in the re-INVITE, so the 2xx carries ours and the ACK brings the answer.
            response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
            response.Body = state.Media!.Offer();
        }

        ApplySessionTimer(invite, response);
        return response;
    }

    /// <summary>
    /// RFC 3311 §5.2: an UPDATE with an offer is answered like a re-INVITE's; one without is a session refresh
    /// (RFC 4028 §7.4) and gets a plain 2xx. Under the lock.
    /// </summary>
    public SipResponse OnUpdate(SipRequest request, out MediaUpdate? update)
    {
        update = null;
        var state = _dialog.InDialog;
        if (!request.Body.IsEmpty && (state.AnswerExpectedInAck || state.LocalRequestPending))
        {
            // RFC 3311 §5.2: an offer while our own offer awaits its answer gets 491.
            DialogMetrics.RequestPending.Add(1);
            return _host.CreateResponse(request, 491, "Request Pending");
        }

        if (IsSessionIntervalTooSmall(request, _host.Options.MinSessionExpires))
        {
            return CreateSessionIntervalTooSmall(request);
        }

        if (AnswerOffer(request, out update, out var answer) is { } rejection)
        {
            return rejection;
        }

        var response = CreateInDialogOk(request, answer);
        ApplySessionTimer(request, response);
        return response;
    }

    /// <summary>
    /// INFO: we register no Info Package (RFC 6086 §5), so DTMF arrives as "legacy INFO usage" without an Info-Package
    /// header. An INFO naming a package gets 469 with an empty Recv-Info (§4.2.2: we are not willing to receive any);
    /// a legacy INFO whose body we cannot read gets 415 with Accept (RFC 3261 §21.4.13). An empty INFO is a liveness
    /// probe some trunks send and gets 200. <paramref name="digit"/> is the key of a 200, else default.
    /// </summary>
    public SipResponse OnInfo(SipRequest request, out char digit, out TimeSpan duration)
    {
        digit = default;
        duration = TimeSpan.Zero;
        if (request.Headers.GetFirst(InfoPackageHeader) is not null)
        {
            var bad = _host.CreateResponse(request, 469, "Bad Info Package");
            bad.Headers.Add("Recv-Info", string.Empty);
            return bad;
        }

        if (request.Body.IsEmpty)
        {
            return _host.CreateResponse(request, 200, "OK");
        }

        if (!DtmfInfoBody.IsDtmfContentType(request.ContentType))
        {
            var unsupported = _host.CreateResponse(request, 415, "Unsupported Media Type");
            unsupported.Headers.Add(SipHeaderId.Accept, DtmfInfoBody.DtmfRelay + ", " + DtmfInfoBody.Dtmf);
            return unsupported;
        }

        var body = Encoding.ASCII.GetString(request.Body.Span);
        if (DtmfInfoBody.TryParse(request.ContentType, body, out digit, out duration))
        {
            return _host.CreateResponse(request, 200, "OK");
        }

        digit = default;
        return _host.CreateResponse(request, 400, "Bad DTMF body");
    }

    /// <summary>Retransmits the re-INVITE's 2xx until its ACK (RFC 3261 §13.3.1.4); without one the call is ended.</summary>
    public async Task AwaitReInviteAckAsync(InviteServerTransaction tx)
    {
        await _host.InviteTransactions.RetransmitFinalAsync(tx);
        bool unacknowledged;
        lock (_host.Sync)
        {
            unacknowledged = _dialog.InDialog.PendingReInvite == tx;
            if (unacknowledged)
            {
                _dialog.InDialog.PendingReInvite = null;
            }
        }

        if (unacknowledged && !tx.RetransmissionStop.IsCancellationRequested)
        {
            // RFC 3261 §14.2 → §13.3.1.4: a 2xx never acknowledged within 64*T1 means the session SHOULD be ended.
            await _host.EndAsync(_dialog, CallTermination.ReasonAckTimeout, null);
        }
    }

    /// <summary>
    /// ACK for the pending re-INVITE's 2xx: stops its retransmissions and, when our 2xx carried the offer, takes the
    /// answer. False when the ACK belongs to something else (the caller then tries the initial INVITE).
    /// </summary>
    public bool TryTakeReInviteAck(SipRequest ack)
    {
        InviteServerTransaction? tx;
        bool expectAnswer;
        var state = _dialog.InDialog;
        lock (_host.Sync)
        {
            tx = state.PendingReInvite;
            if (tx is null || tx.Invite.CSeq!.Value.Number != ack.CSeq!.Value.Number)
            {
                return false;
            }

            expectAnswer = state.AnswerExpectedInAck;
            state.PendingReInvite = null;
            state.AnswerExpectedInAck = false;
            _host.InviteTransactions.Terminate(tx);
        }

        tx.StopRetransmissions();
        if (!expectAnswer)
        {
            return true;
        }

        MediaUpdate? update;
        bool answered;
        lock (_host.Sync)
        {
            answered = state.Media!.TryTakeAnswer(ack.ContentType, ack.Body.Span, AudioCodecPreferences.Supported, out update, out _);
        }

        if (!answered)
        {
            // RFC 3261 §13.3.1.4 leaves a bad answer in an ACK to the UAS: keep the media as it was rather than drop the call.
            SipUasMetrics.BadRequests.Add(1);
            return true;
        }

        _host.NotifyMediaUpdated(_dialog.Id, update!);
        return true;
    }

    /// <summary>
    /// The answer to the offer our 2xx made for a delayed-offer INVITE (RFC 3261 §13.2.1, §13.3.1.4). Without a usable
    /// one the call cannot carry audio: it is ended with BYE naming the reason (RFC 3326), counted, and the handler hears
    /// OnCallTerminated instead of OnCallConfirmed. Returns whether the call goes on.
    /// </summary>
    public bool TakeInitialAnswer(SipRequest ack)
    {
        MediaUpdate? update;
        string failure;
        bool answered;
        lock (_host.Sync)
        {
            answered = _dialog.InDialog.Media!.TryTakeAnswer(ack.ContentType, ack.Body.Span, _host.Codecs, out update, out failure);
        }

        if (answered)
        {
            _host.NotifyMediaUpdated(_dialog.Id, update!);
            return true;
        }

        SipUasMetrics.DelayedOfferFailures.Add(1, new KeyValuePair<string, object?>("reason", failure == SdpAnswer.Missing ? "missing" : "unusable"));
        if (_host.Logger.IsEnabled(LogLevel.Information))
        {
            _host.Logger.LogInformation("ACK of {DialogId} brought {Failure} to our offer; ending the call with BYE", LogText.Safe(_dialog.Id), failure);
        }

        var reason = failure == SdpAnswer.Missing ? CallTermination.ReasonNoAnswer : CallTermination.ReasonBadAnswer;
        _ = _host.EndAsync(_dialog, reason, DelayedOffer.ByeReason(failure));
        return false;
    }

    /// <summary>
    /// Parses and answers the SDP offer of a re-INVITE or UPDATE. Returns the rejection to send, or null and the
    /// answer (null when the request had no offer). A failed offer leaves the session as it was (RFC 3261 §14.2).
    /// </summary>
    private SipResponse? AnswerOffer(SipRequest request, out MediaUpdate? update, out byte[]? answer)
    {
        update = null;
        answer = null;
        if (request.Body.IsEmpty)
        {
            return null;
        }

        if (!SdpAnswer.IsSdp(request.ContentType))
        {
            var unsupported = _host.CreateResponse(request, 415, "Unsupported Media Type");
            unsupported.Headers.Add(SipHeaderId.Accept, "application/sdp");
            return unsupported;
        }

        if (!SdpParser.TryParse(request.Body.Span, out var offer, out var error))
        {
            return _host.CreateResponse(request, 488, error);
        }

        var media = _dialog.InDialog.Media!;
        var negotiation = SdpNegotiator.Renegotiate(offer, _host.Codecs, media.Current.Srtp);
        if (!negotiation.IsSuccess)
        {
            return _host.CreateResponse(request, 488, negotiation.FailureReason!);
        }

        answer = media.Answer(offer, negotiation);
        update = MediaUpdate.From(negotiation);
        media.Current = update;
        return null;
    }

    /// <summary>2xx for a re-INVITE or UPDATE: Contact is mandatory in both (RFC 3261 §12.2.2, RFC 3311 §5.2).</summary>
    private SipResponse CreateInDialogOk(SipRequest request, byte[]? sdp)
    {
        var response = SipResponseFactory.Create(request.Headers, 200, "OK", _dialog.LocalTag, _host.Options.UserAgent);
        response.Headers.Add(SipHeaderId.Contact, _host.LocalContact(_dialog));
        response.Headers.Add(SipHeaderId.Allow, SipUserAgentServer.AllowedMethods);
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        if (sdp is not null)
        {
            response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
            response.Body = sdp;
        }

        return response;
    }

    private SipResponse CreateSessionIntervalTooSmall(SipRequest request)
    {
        var response = _host.CreateResponse(request, 422, "Session Interval Too Small");
        response.Headers.Add(SessionExpires.MinSeHeader, MinSeValue(_host.Options.MinSessionExpires));
        return response;
    }

    /// <summary>The dialog's session timer takes the request's Session-Expires and writes ours into the 2xx. Under the lock.</summary>
    private void ApplySessionTimer(SipRequest request, SipResponse ok) =>
        (_dialog.InDialog.SessionTimer ??= new SessionTimer(_dialog, _host)).Apply(request, ok);
}
