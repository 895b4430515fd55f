using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Outbound calls (UAC, RFC 3261 §13.2) over UDP. The resulting dialog joins the same table as answered calls, so
/// BYE in either direction, re-INVITE/UPDATE from the callee and shutdown treat both alike.
/// </summary>
public sealed partial class SipUserAgentServer
{
    private readonly Dictionary<string, InviteClientTransaction> _outboundInvites = new(StringComparer.Ordinal);

    /// <summary>
    /// Places a call and returns once it is answered, refused or given up. Cancelling <paramref name="cancellationToken"/>
    /// before a final response sends CANCEL (§9.1) and the result then carries the callee's final status (normally 487);
    /// it does not throw. A 2xx that races the CANCEL is ACKed and hung up at once (§15).
    /// </summary>
    public async Task<OutboundCallResult> PlaceCallAsync(OutboundCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_transport is null)
        {
            throw new InvalidOperationException("Not started.");
        }

        if (!SipUri.TryParse(request.Target, out var target))
        {
            throw new ArgumentException("Target is not a SIP URI.", nameof(request));
        }

        var nextHop = request.Destination ?? (IPAddress.TryParse(target.Host.Trim('[', ']'), out var literal)
            ? new IPEndPoint(literal, target.Port ?? DefaultSipPort)
            : throw new ArgumentException("Destination is required when the target host is not an IP literal (no RFC 3263 resolution).", nameof(request)));
        var destination = SipEndPoint.Udp(nextHop);
        var localRtp = request.LocalRtp.Address.Equals(IPAddress.Any) || request.LocalRtp.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(_publicAddress, request.LocalRtp.Port)
            : request.LocalRtp;
        var sessionId = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) >> 1;
        var offer = new OfferedSession(sessionId, localRtp, SdpOfferWriter.Write(localRtp, request.Codecs, request.TelephoneEventPayloadType, sessionId));
        OutboundMetrics.Placed.Add(1);

        // §8.1.1: a new Call-ID and From tag per call; the CSeq starts at 1 and rises by one per authenticated retry (§22.2).
        var callId = NewToken() + "@" + _hostPort;
        var fromTag = NewToken();
        var digest = request.Credentials is { } c ? new DigestClientSession(c.Username, c.Password) : null;
        digest?.BeginAttempt();
        string? authorization = null;
        for (uint cseq = 1; ; cseq++)
        {
            var invite = BuildInvite(request, callId, fromTag, cseq, offer.Sdp, digest, authorization, out var branch);
            var tx = new InviteClientTransaction(invite, branch, cseq, destination, offer, request.Progress);
            var (response, cancelled) = await RunInviteClientAsync(tx, cancellationToken);
            if (response is null)
            {
                return Failed(408, cancelled ? "Request Timeout (no final response after CANCEL)" : "Request Timeout");
            }

            if (response.IsSuccess)
            {
                return await EstablishOutboundAsync(tx, response, cancelled);
            }

            if (response.StatusCode is 401 or 407 && digest is not null && !cancelled
                && DigestChallenge.SelectPreferred(RegisterResponseReader.Challenges(response)) is { } challenge
                && digest.Accept(challenge, response.StatusCode == 407))
            {
                authorization = digest.CreateAuthorization(SipMethods.Invite, request.Target);
                continue;
            }

            return Failed(response.StatusCode, response.ReasonPhrase);
        }
    }

    private static OutboundCallResult Failed(int statusCode, string reason)
    {
        OutboundMetrics.Failed.Add(1, new KeyValuePair<string, object?>("status", statusCode / 100 * 100));
        return OutboundCallResult.Failed(statusCode, reason);
    }

    private SipRequest BuildInvite(
        OutboundCallRequest request, string callId, string fromTag, uint cseq, byte[] offer, DigestClientSession? digest, string? authorization, out string branch)
    {
        branch = "z9hG4bK" + NewToken();
        var display = request.FromDisplayName is { Length: > 0 } name ? "\"" + name.Replace("\"", string.Empty, StringComparison.Ordinal) + "\" " : string.Empty;
        var headers = new SipHeaders();
        headers.Add(SipHeaderId.Via, $"SIP/2.0/UDP {_hostPort};branch={branch};rport");
        headers.Add(SipHeaderId.MaxForwards, "70");
        headers.Add(SipHeaderId.From, $"{display}<sip:{request.FromUser}@{_hostPort}>;tag={fromTag}");
        headers.Add(SipHeaderId.To, $"<{request.Target}>");
        headers.Add(SipHeaderId.CallId, callId);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " INVITE");
        headers.Add(SipHeaderId.Contact, $"<sip:{request.FromUser}@{_hostPort}>");
        headers.Add(SipHeaderId.Allow, AllowedMethods);

        // Empty on purpose: we run no session timer on calls we place, so we must not claim "timer" (RFC 4028 §7.1).
        headers.Add(SipHeaderId.Supported, string.Empty);
        headers.Add(SipHeaderId.UserAgent, _options.UserAgent);
        if (authorization is not null)
        {
            headers.Add(digest!.IsProxy ? "Proxy-Authorization" : "Authorization", authorization);
        }

        headers.Add(SipHeaderId.ContentType, "application/sdp");
        return new SipRequest(SipMethods.Invite, request.Target, headers) { Body = offer };
    }

    /// <summary>
    /// The INVITE client transaction over UDP (RFC 3261 §17.1.1.2): Timer A resends at T1, 2*T1, ... while no
    /// provisional response has come; Timer B gives up at 64*T1 in that state. Once proceeding there is no timer: the
    /// caller's token is the ring timeout, and its CANCEL waits 64*T1 for the final response (§9.1). Null: no final response.
    /// </summary>
    private async Task<(SipResponse? Response, bool Cancelled)> RunInviteClientAsync(InviteClientTransaction tx, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _outboundInvites[tx.Branch] = tx;
        }

        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => cancelRequested.TrySetResult());
        using var delays = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var started = Stopwatch.GetTimestamp();
        var interval = _options.T1;
        var nextSend = TimeSpan.Zero;
        long cancelSentAt = 0;
        try
        {
            while (true)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (!tx.Proceeding && elapsed >= nextSend)
                {
                    if (nextSend > TimeSpan.Zero)
                    {
                        OutboundMetrics.InviteRetransmissions.Add(1);
                    }

                    Send(tx.Bytes, tx.Destination);
                    nextSend = elapsed + interval;
                    interval *= 2;
                }

                if (cancelRequested.Task.IsCompleted && tx.Proceeding && cancelSentAt == 0)
                {
                    // §9.1: CANCEL only once a provisional response shows the INVITE arrived. It is a non-INVITE
                    // transaction of its own that shares the INVITE's branch; its 200 completes that transaction.
                    var cancel = InviteDerivedRequests.Cancel(tx.Invite, tx.CSeq, _options.UserAgent).ToBytes();
                    _ = RunClientTransactionAsync(cancel, tx.Destination, tx.Branch, CancellationToken.None);
                    cancelSentAt = Stopwatch.GetTimestamp();
                }

                TimeSpan wait;
                if (!tx.Proceeding)
                {
                    var timerB = _timeout64T1 - elapsed;
                    if (timerB <= TimeSpan.Zero)
                    {
                        return (null, cancelRequested.Task.IsCompleted);
                    }

                    wait = TimeSpan.FromTicks(Math.Min((nextSend - elapsed).Ticks, timerB.Ticks));
                }
                else if (cancelSentAt != 0)
                {
                    wait = _timeout64T1 - Stopwatch.GetElapsedTime(cancelSentAt);
                    if (wait <= TimeSpan.Zero)
                    {
                        return (null, true);
                    }
                }
                else
                {
                    wait = Timeout.InfiniteTimeSpan;
                }

                var wake = new List<Task>(4) { tx.Final.Task, Task.Delay(wait, delays.Token) };
                if (!tx.Proceeding)
                {
                    wake.Add(tx.Provisional.Task);
                }

                if (cancelSentAt == 0)
                {
                    wake.Add(cancelRequested.Task);
                }

                await Task.WhenAny(wake);
                if (tx.Final.Task.IsCompleted)
                {
                    return (await tx.Final.Task, cancelRequested.Task.IsCompleted);
                }

                if (_stopping.IsCancellationRequested)
                {
                    return (null, cancelRequested.Task.IsCompleted);
                }
            }
        }
        finally
        {
            await delays.CancelAsync();

            // Keep the transaction 64*T1 so retransmitted final responses are ACKed again (§13.2.2.4, §17.1.1.3 Timer D).
            _ = Task.Delay(_timeout64T1, CancellationToken.None).ContinueWith(
                _ =>
                {
                    lock (_sync)
                    {
                        _outboundInvites.Remove(tx.Branch);
                    }
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>Responses to our outbound INVITEs (matched per §17.1.3: branch and CSeq method); false for anything else.</summary>
    private bool TryHandleOutboundResponse(SipResponse response)
    {
        InviteClientTransaction? tx;
        byte[]? ack = null;
        lock (_sync)
        {
            if (response.TopVia?.Branch is not { } branch || !_outboundInvites.TryGetValue(branch, out tx)
                || response.CSeq is not { Method: SipMethods.Invite } cseq || cseq.Number != tx.CSeq)
            {
                return false;
            }

            if (response.StatusCode >= 300)
            {
                ack = tx.Ack ??= InviteDerivedRequests.FailureAck(tx.Invite, tx.CSeq, response, _options.UserAgent).ToBytes();
            }
            else if (response.StatusCode >= 200)
            {
                // §13.2.2.4: the ACK of a 2xx is a new transaction inside the dialog the 2xx created. A 2xx from another
                // fork (different To tag) would need its own ACK and BYE; we ACK only the first dialog.
                if (tx.Dialog is null)
                {
                    tx.Dialog = CreateOutboundDialog(tx, response);
                    AcceptAnswer(tx, response);
                    if (tx.Answer is not null)
                    {
                        _dialogs[tx.Dialog.Id] = tx.Dialog;
                    }
                }

                if (string.Equals(response.To?.Tag, tx.Dialog.RemoteTag, StringComparison.Ordinal))
                {
                    ack = tx.Ack ??= BuildInDialogRequest(tx.Dialog, SipMethods.Ack, "z9hG4bK" + NewToken(), tx.CSeq, h => CopyCredentials(tx.Invite, h), null, null).ToBytes();
                }
            }
        }

        if (response.StatusCode < 200)
        {
            tx.Proceeding = true;
            tx.Provisional.TrySetResult();
            tx.Progress?.Report(response.StatusCode);
            return true;
        }

        if (ack is not null)
        {
            Send(ack, tx.Dialog is { } d && response.IsSuccess ? InDialogDestination(d) : tx.Destination);
        }

        tx.Final.TrySetResult(response);
        return true;
    }

    /// <summary>§22.2/§13.2.2.4: the ACK of a 2xx carries the INVITE's credentials.</summary>
    private static void CopyCredentials(SipRequest invite, SipHeaders headers)
    {
        foreach (var name in (ReadOnlySpan<string>)["Authorization", "Proxy-Authorization"])
        {
            if (invite.Headers.GetFirst(name) is { } value)
            {
                headers.Add(name, value);
            }
        }
    }

    /// <summary>RFC 3261 §12.1.2: the UAC's view of the dialog, from our INVITE and the callee's 2xx.</summary>
    private static SipDialog CreateOutboundDialog(InviteClientTransaction tx, SipResponse ok)
    {
        var contact = ok.Headers.GetFirst(SipHeaderId.Contact);
        var remoteTarget = contact is not null && NameAddress.TryParse(contact, out var c) ? c.Uri : tx.Invite.RequestUri;
        var routeSet = ok.Headers.GetAll(SipHeaderId.RecordRoute);

        // The UAC's route set is the 2xx's Record-Route in reverse order (§12.1.2).
        routeSet.Reverse();
        var localTag = NameAddress.TryParse(tx.Invite.Headers.GetFirst(SipHeaderId.From), out var from) ? from.Tag! : string.Empty;
        var callId = tx.Invite.Headers.GetFirst(SipHeaderId.CallId)!;

        // The dialog machinery keys transport and origin on an INVITE transaction record; ours is a placeholder in
        // its final state, so nothing retransmits a 2xx or waits for an ACK on it.
        var origin = new InviteServerTransaction("uac|" + tx.Branch, tx.Invite, tx.Destination, localTag) { State = InviteTransactionState.Terminated };
        return new SipDialog
        {
            Id = DialogKey(callId, localTag),
            CallId = callId,
            LocalTag = localTag,
            RemoteTag = ok.To?.Tag,
            LocalParty = tx.Invite.Headers.GetFirst(SipHeaderId.From)!,
            RemoteParty = ok.Headers.GetFirst(SipHeaderId.To)!,
            RemoteTarget = remoteTarget,
            RouteSet = routeSet,
            RemoteSignalling = tx.Destination.Address,
            Invite = origin,
            Confirmed = true,
            LocalCSeq = tx.CSeq,
        };
    }

    /// <summary>
    /// The SDP answer of the first 2xx (RFC 3264 §6): without a usable one the call cannot carry audio, and
    /// <see cref="EstablishOutboundAsync"/> ends it with BYE (RFC 3261 §13.2.2.4 lets no 2xx go unacknowledged).
    /// Runs under the lock, before the dialog enters the table, so in-dialog requests always find its media state.
    /// </summary>
    private static void AcceptAnswer(InviteClientTransaction tx, SipResponse ok)
    {
        if (!SdpAnswer.TryRead(ok.ContentType, ok.Body.Span, AudioCodecPreferences.Supported, out var negotiation, out var failure))
        {
            tx.AnswerFailure = failure == SdpAnswer.Missing ? "2xx without an SDP answer" : failure;
            return;
        }

        tx.Answer = negotiation;
        tx.Dialog!.InDialog.Media = new DialogMediaState(tx.Offer.SessionId, tx.Offer.LocalRtp, MediaUpdate.From(negotiation), tx.Offer.Sdp);
    }

    /// <summary>Returns the established call, or ends it with BYE when its answer was unusable or the caller cancelled meanwhile (§15).</summary>
    private async Task<OutboundCallResult> EstablishOutboundAsync(InviteClientTransaction tx, SipResponse ok, bool cancelled)
    {
        SipDialog dialog;
        SdpNegotiationResult? answer;
        string? failure;
        lock (_sync)
        {
            dialog = tx.Dialog!;
            answer = tx.Answer;
            failure = cancelled ? "answered after CANCEL; hung up" : tx.AnswerFailure;
        }

        if (failure is not null)
        {
            // The handler never hears of this call: the caller learns from the result, and no media was set up.
            if (dialog.TryMarkTerminated())
            {
                await SendByeAndRemoveAsync(dialog, CancellationToken.None);
            }

            return Failed(ok.StatusCode, failure);
        }

        OutboundMetrics.Answered.Add(1);
        return new OutboundCallResult
        {
            Succeeded = true,
            StatusCode = ok.StatusCode,
            Reason = ok.ReasonPhrase,
            DialogId = dialog.Id,
            RemoteRtp = answer!.RemoteRtp,
            Codec = answer.Codec,
            TelephoneEventPayloadType = answer.TelephoneEventPayloadType,
        };
    }
}
