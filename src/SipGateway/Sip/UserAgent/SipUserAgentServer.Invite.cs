using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>INVITE server transactions (RFC 3261 §13.3, §17.2.1); ACK and CANCEL are in SipUserAgentServer.AckCancel.cs.</summary>
public sealed partial class SipUserAgentServer
{
    private void HandleInvite(SipRequest invite, SipEndPoint source, SipEndPoint destination)
    {
        var key = TransactionKey(invite);
        lock (_sync)
        {
            // RFC 3261 §17.2.1: a retransmitted INVITE gets the most recent response again.
            if (_invites.TryGetValue(key, out var existing))
            {
                // In Confirmed the client has seen our final response, so its INVITE retransmissions are absorbed.
                if (existing.State != InviteTransactionState.Confirmed && existing.LastResponse is { } last)
                {
                    Send(last, existing.ResponseDestination);
                }

                return;
            }
        }

        // RFC 3261 §8.2.2.3: a Require option tag we do not support gets 420 + Unsupported, re-INVITEs included.
        var required = SipExtensions.Unsupported(invite);
        if (required.Count > 0)
        {
            RejectInvite(invite, key, destination, 420, "Bad Extension", h => SipExtensions.AddUnsupported(h, required));
            return;
        }

        if (invite.To!.Tag is not null)
        {
            HandleReInvite(invite, key, destination);
            return;
        }

        if (Availability is { AcceptsNewCalls: false } availability)
        {
            // Draining or not ready: a load balancer retries the call elsewhere (RFC 3261 §21.5.4).
            RejectInvite(invite, key, destination, 503, "Service Unavailable", h => h.Add(SipHeaderId.RetryAfter, availability.RetryAfter));
            return;
        }

        if (InviteUsage.IsSessionIntervalTooSmall(invite, _options.MinSessionExpires))
        {
            var minSe = InviteUsage.MinSeValue(_options.MinSessionExpires);
            RejectInvite(invite, key, destination, 422, "Session Interval Too Small", h => h.Add(SessionExpires.MinSeHeader, minSe));
            return;
        }

        // An offer-less INVITE (RFC 3261 §13.2.1) wants our offer in the 2xx: offer and negotiation stay null.
        SdpSessionDescription? offer = null;
        SdpNegotiationResult? negotiation = null;
        if (!invite.Body.IsEmpty)
        {
            if (!SdpAnswer.IsSdp(invite.ContentType))
            {
                RejectInvite(invite, key, destination, 415, "Unsupported Media Type", h => h.Add(SipHeaderId.Accept, "application/sdp"));
                return;
            }

            if (!SdpParser.TryParse(invite.Body.Span, out offer, out var sdpError))
            {
                RejectInvite(invite, key, destination, 488, sdpError);
                return;
            }

            negotiation = SdpNegotiator.Negotiate(offer, _codecs, _options.Srtp);
            if (!negotiation.IsSuccess)
            {
                // RFC 3261 §13.3.1.3 / RFC 3264 §6: no acceptable media is 488 Not Acceptable Here.
                RejectInvite(invite, key, destination, 488, negotiation.FailureReason!);
                return;
            }
        }

        var tx = new InviteServerTransaction(key, invite, destination, NewToken())
        {
            LastResponse = SipResponseFactory.Create(invite.Headers, 100, "Trying", null, _options.UserAgent).ToBytes(),
        };
        bool admitted;
        lock (_sync)
        {
            admitted = _dialogs.Count + _proceeding < _options.MaxDialogs;
            if (admitted)
            {
                _invites[key] = tx;
                _proceeding++;
            }
        }

        if (!admitted)
        {
            RejectInvite(invite, key, destination, 503, "Service Unavailable", h => h.Add(SipHeaderId.RetryAfter, "5"));
            return;
        }

        Send(tx.LastResponse!, destination);
        var dialogId = DialogTable.Key(invite.CallId!, tx.LocalTag);
        if (negotiation is not null)
        {
            tx.Early = CreateEarlyDialog(tx, offer!, negotiation, dialogId);
        }

        var call = negotiation is null
            ? DelayedOffer.Describe(dialogId, invite, _codecs, source.Address, SrtpOfferPolicy.KeyFor(_options.Srtp, SrtpOfferPolicy.IsSecureSignalling(source.Protocol, invite.RequestUri)))
            : new IncomingCall
        {
            DialogId = dialogId,
            CallId = invite.CallId!,
            FromUri = invite.From!.Uri,
            ToUri = invite.To.Uri,
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

    /// <summary>Runs the handler without holding the lock; whichever of handler completion and CANCEL takes the lock first decides the final response.</summary>
    private async Task DecideAsync(InviteServerTransaction tx, IncomingCall call, SdpSessionDescription? offer, SdpNegotiationResult? negotiation)
    {
        MediaAcceptance? acceptance;
        try
        {
            acceptance = await _handler.OnIncomingCallAsync(call, tx.HandlerCancellation.Token);
        }
        catch (OperationCanceledException) when (tx.HandlerCancellation.IsCancellationRequested)
        {
            acceptance = null;
        }
        catch (Exception ex)
        {
            SipUasMetrics.HandlerErrors.Add(1);
            _logger.LogError(ex, "OnIncomingCallAsync failed for {DialogId}", LogText.Safe(call.DialogId));
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
        lock (_sync)
        {
            _proceeding--;
            if (tx.State != InviteTransactionState.Proceeding)
            {
                // CANCEL won (RFC 3261 §9.2): 487 already went out; release media the handler may have allocated.
                releaseReason = acceptance.IsAccepted ? tx.AbandonReason ?? CallTermination.ReasonCancel : null;
            }
            else if (acceptance.IsAccepted && !_stopping.IsCancellationRequested)
            {
                var response = CreateOk(tx, offer, negotiation, acceptance.LocalRtp!, call.OfferedSrtpKey, out var media);
                tx.Dialog = CreateDialog(tx, call);
                var usage = new InviteUsage(tx.Dialog, this, media);
                usage.AcceptInitialInvite(tx.Invite, response);
                tx.Dialog.InDialog.Usage = usage;
                tx.Dialog.InDialog.AnswerExpectedInAck = offer is null;
                _dialogs.Add(tx.Dialog);
                tx.State = InviteTransactionState.Accepted;
                final = response.ToBytes();
            }
            else
            {
                var (code, reason) = acceptance.IsAccepted ? (503, "Service Unavailable") : (acceptance.StatusCode, acceptance.Reason);
                releaseReason = acceptance.IsAccepted ? CallTermination.ReasonShutdown : null;
                tx.State = InviteTransactionState.Completed;
                final = SipResponseFactory.Create(tx.Invite.Headers, code, reason, tx.LocalTag, _options.UserAgent).ToBytes();
            }

            if (final is not null)
            {
                tx.LastResponse = final;
            }
        }

        if (releaseReason is not null)
        {
            var endedBy = releaseReason == CallTermination.ReasonCancel ? CallTermination.Caller : CallTermination.Gateway;
            NotifyTerminated(call.DialogId, endedBy, releaseReason);
        }

        ForgetEarlyDialog(tx);
        if (final is not null)
        {
            (tx.State == InviteTransactionState.Accepted ? SipUasMetrics.CallsAccepted : SipUasMetrics.CallsRejected).Add(1);
            Send(final, tx.ResponseDestination);
            await RetransmitFinalAsync(tx);
        }
    }

    private SipResponse CreateOk(
        InviteServerTransaction tx, SdpSessionDescription? offer, SdpNegotiationResult? negotiation, IPEndPoint localRtp, Rtp.Srtp.SrtpMasterKey? srtpOffer, out DialogMediaState media)
    {
        var response = CreateDialogResponse(tx, 200, "OK");
        if (tx.Early?.Media is { } early)
        {
            // RFC 3261 §13.2.1: the answer in a 2xx after a 183 with SDP is the one that 183 carried, byte for byte.
            media = early;
            response.Body = early.LastLocalSdp;
            return response;
        }

        if (offer is null || negotiation is null)
        {
            media = DelayedOffer.CreateOffer(PublicRtp(localRtp), _codecs, NewSessionId(), srtpOffer);
            response.Body = media.LastLocalSdp;
            return response;
        }

        media = CreateAnswer(offer, negotiation, localRtp);
        response.Body = media.LastLocalSdp;
        return response;
    }

    /// <summary>Our SDP answer to the INVITE's offer (RFC 3264 §6), for the 183 or the 200.</summary>
    private DialogMediaState CreateAnswer(SdpSessionDescription offer, SdpNegotiationResult negotiation, IPEndPoint localRtp)
    {
        localRtp = PublicRtp(localRtp);
        var sessionId = NewSessionId();
        var sdp = SdpAnswerBuilder.Build(offer, negotiation, localRtp, sessionId, 1);
        return new DialogMediaState(sessionId, localRtp, MediaUpdate.From(negotiation), sdp);
    }

    /// <summary>A response that creates a dialog (early for 1xx, RFC 3261 §12.1.1): To tag, Record-Route, Contact, SDP type.</summary>
    private SipResponse CreateDialogResponse(InviteServerTransaction tx, int statusCode, string reason)
    {
        var response = SipResponseFactory.Create(tx.Invite.Headers, statusCode, reason, tx.LocalTag, _options.UserAgent);

        // RFC 3261 §12.1.1: the response copies Record-Route so both ends share the route set.
        foreach (var h in tx.Invite.Headers)
        {
            if (h.Id == SipHeaderId.RecordRoute)
            {
                response.Headers.Add(h);
            }
        }

        // RFC 3261 §18: the remote target names the transport so in-dialog requests come back over it.
        response.Headers.Add(SipHeaderId.Contact, SipContactAddress.For(tx.ResponseDestination, tx.Invite.RequestUri, ContactHostPort, TlsEndPoint?.Port));
        response.Headers.Add(SipHeaderId.Allow, AllowedMethods);
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
        return response;
    }

    private IPEndPoint PublicRtp(IPEndPoint localRtp) =>
        localRtp.Address.Equals(IPAddress.Any) || localRtp.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(_listeners!.PublicAddress, localRtp.Port) : localRtp;

    private static ulong NewSessionId() => BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) >> 1;

    private static SipDialog CreateDialog(InviteServerTransaction tx, IncomingCall call)
    {
        var invite = tx.Invite;
        var routeSet = invite.Headers.GetAll(SipHeaderId.RecordRoute);
        var contact = invite.Headers.GetFirst(SipHeaderId.Contact);
        var remoteTarget = contact is not null && NameAddress.TryParse(contact, out var c) ? c.Uri : invite.From!.Uri;
        return new SipDialog
        {
            Id = call.DialogId,
            CallId = call.CallId,
            LocalTag = tx.LocalTag,
            RemoteTag = invite.From!.Tag,
            LocalParty = invite.Headers.GetFirst(SipHeaderId.To) + ";tag=" + tx.LocalTag,
            RemoteParty = invite.Headers.GetFirst(SipHeaderId.From)!,
            RemoteTarget = remoteTarget,
            RouteSet = routeSet,
            RemoteSignalling = call.RemoteSignalling,
            Invite = tx,
        };
    }

    private void RejectInvite(SipRequest invite, string key, SipEndPoint destination, int code, string reason, Action<SipHeaders>? addHeaders = null)
    {
        var tx = new InviteServerTransaction(key, invite, destination, NewToken()) { State = InviteTransactionState.Completed };
        var response = SipResponseFactory.Create(invite.Headers, code, reason, tx.LocalTag, _options.UserAgent);
        addHeaders?.Invoke(response.Headers);
        tx.LastResponse = response.ToBytes();
        lock (_sync)
        {
            if (!_invites.TryAdd(key, tx))
            {
                return;
            }
        }

        SipUasMetrics.CallsRejected.Add(1);
        Send(tx.LastResponse, destination);
        _ = RetransmitFinalAsync(tx);
    }

    /// <summary>
    /// Retransmits the final response at T1, 2*T1, ... capped at T2 until ACK (RFC 3261 §13.3.1.4 for 2xx, Timer G for
    /// others). Without ACK after 64*T1 a 2xx dialog is torn down with BYE.
    /// </summary>
    private async Task RetransmitFinalAsync(InviteServerTransaction tx)
    {
        var started = Stopwatch.GetTimestamp();

        // RFC 3261 §17.2.1: Timer G runs only on unreliable transports, so over TCP a non-2xx final just waits for the
        // ACK until Timer H. A 2xx is retransmitted on every transport because it is end-to-end (§13.3.1.4).
        var interval = tx.ResponseDestination.Protocol != SipTransportProtocol.Udp && tx.State == InviteTransactionState.Completed
            ? _timeout64T1
            : _options.T1;
        try
        {
            while (true)
            {
                await Task.Delay(interval, tx.RetransmissionStop.Token);
                if (Stopwatch.GetElapsedTime(started) >= _timeout64T1)
                {
                    break;
                }

                byte[]? bytes;
                lock (_sync)
                {
                    bytes = tx.State is InviteTransactionState.Accepted or InviteTransactionState.Completed ? tx.LastResponse : null;
                }

                if (bytes is null)
                {
                    return;
                }

                Send(bytes, tx.ResponseDestination);
                interval = interval * 2 < _options.T2 ? interval * 2 : _options.T2;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        SipDialog? unacknowledged = null;
        lock (_sync)
        {
            if (tx.State == InviteTransactionState.Accepted && tx.Dialog is { Confirmed: false } dialog)
            {
                unacknowledged = dialog;
            }

            tx.Terminate(_timeout64T1);
        }

        if (unacknowledged is not null && unacknowledged.TryMarkTerminated())
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("No ACK for 200 OK of {DialogId} within 64*T1; sending BYE", LogText.Safe(unacknowledged.Id));
            }

            NotifyTerminated(unacknowledged.Id, CallTermination.Gateway, CallTermination.ReasonAckTimeout);
            await SendByeAndRemoveAsync(unacknowledged, CancellationToken.None);
        }
    }
}
