using System.Globalization;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Authentication;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// One call the gateway places (UAC, RFC 3261 §13.2) over UDP: the INVITE client transactions (one per digest retry),
/// CANCEL when the caller gives up, and the dialog the first 2xx creates. The user agent routes responses to the
/// transactions it <see cref="IOutboundHost.Track"/>s; the established dialog joins its table like an answered call.
/// </summary>
internal sealed class OutboundLeg
{
    private readonly OutboundCallRequest _request;
    private readonly SipEndPoint _destination;
    private readonly OfferedSession _offer;
    private readonly IOutboundHost _host;
    private readonly TimeSpan _timeout64T1;

    public OutboundLeg(OutboundCallRequest request, SipEndPoint destination, OfferedSession offer, IOutboundHost host)
    {
        _request = request;
        _destination = destination;
        _offer = offer;
        _host = host;
        _timeout64T1 = host.Options.T1 * 64;
    }

    /// <summary>Runs the call until it is answered, refused or given up (see <see cref="SipUserAgentServer.PlaceCallAsync"/>).</summary>
    public async Task<OutboundCallResult> PlaceAsync(CancellationToken cancellationToken)
    {
        var (request, destination, offer) = (_request, _destination, _offer);

        // §8.1.1: a new Call-ID and From tag per call; the CSeq starts at 1 and rises by one per authenticated retry (§22.2).
        var callId = _host.NewToken() + "@" + _host.ContactHostPort;
        var fromTag = _host.NewToken();
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
                return await EstablishAsync(tx, response, cancelled);
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
        branch = "z9hG4bK" + _host.NewToken();
        var display = request.FromDisplayName is { Length: > 0 } name ? "\"" + name.Replace("\"", string.Empty, StringComparison.Ordinal) + "\" " : string.Empty;
        var headers = new SipHeaders();
        headers.Add(SipHeaderId.Via, $"SIP/2.0/UDP {_host.ContactHostPort};branch={branch};rport");
        headers.Add(SipHeaderId.MaxForwards, "70");
        headers.Add(SipHeaderId.From, $"{display}<sip:{request.FromUser}@{_host.ContactHostPort}>;tag={fromTag}");
        headers.Add(SipHeaderId.To, $"<{request.Target}>");
        headers.Add(SipHeaderId.CallId, callId);
        headers.Add(SipHeaderId.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " INVITE");
        headers.Add(SipHeaderId.Contact, $"<sip:{request.FromUser}@{_host.ContactHostPort}>");
        headers.Add(SipHeaderId.Allow, SipUserAgentServer.AllowedMethods);

        // Empty on purpose: we run no session timer on calls we place, so we must not claim "timer" (RFC 4028 §7.1).
        headers.Add(SipHeaderId.Supported, string.Empty);
        headers.Add(SipHeaderId.UserAgent, _host.Options.UserAgent);
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
        _host.Track(tx);

        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => cancelRequested.TrySetResult());
        using var delays = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping);
        var time = _host.Time;
        var started = time.GetTimestamp();
        var interval = _host.Options.T1;
        var nextSend = TimeSpan.Zero;
        long? cancelSentAt = null;
        try
        {
            while (true)
            {
                var elapsed = time.GetElapsedTime(started);
                if (!tx.Proceeding && elapsed >= nextSend)
                {
                    if (nextSend > TimeSpan.Zero)
                    {
                        OutboundMetrics.InviteRetransmissions.Add(1);
                    }

                    _host.Send(tx.Bytes, tx.Destination);
                    nextSend = elapsed + interval;
                    interval *= 2;
                }

                if (cancelRequested.Task.IsCompleted && tx.Proceeding && cancelSentAt is null)
                {
                    // §9.1: CANCEL only once a provisional response shows the INVITE arrived. It is a non-INVITE
                    // transaction of its own that shares the INVITE's branch; its 200 completes that transaction.
                    var cancel = InviteDerivedRequests.Cancel(tx.Invite, tx.CSeq, _host.Options.UserAgent).ToBytes();
                    _ = _host.RunClientTransactionAsync(cancel, tx.Destination, tx.Branch, CancellationToken.None);
                    cancelSentAt = time.GetTimestamp();
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
                else if (cancelSentAt is { } sentAt)
                {
                    wait = _timeout64T1 - time.GetElapsedTime(sentAt);
                    if (wait <= TimeSpan.Zero)
                    {
                        return (null, true);
                    }
                }
                else
                {
                    wait = Timeout.InfiniteTimeSpan;
                }

                var wake = new List<Task>(4) { tx.Final.Task, Task.Delay(wait, time, delays.Token) };
                if (!tx.Proceeding)
                {
                    wake.Add(tx.Provisional.Task);
                }

                if (cancelSentAt is null)
                {
                    wake.Add(cancelRequested.Task);
                }

                await Task.WhenAny(wake);
                if (tx.Final.Task.IsCompleted)
                {
                    return (await tx.Final.Task, cancelRequested.Task.IsCompleted);
                }

                if (_host.Stopping.IsCancellationRequested)
                {
                    return (null, cancelRequested.Task.IsCompleted);
                }
            }
        }
        finally
        {
            await delays.CancelAsync();

            // Keep the transaction 64*T1 so retransmitted final responses are ACKed again (§13.2.2.4, §17.1.1.3 Timer D).
            _ = Task.Delay(_timeout64T1, _host.Time, CancellationToken.None).ContinueWith(_ => _host.Forget(tx), TaskScheduler.Default);
        }
    }

    /// <summary>Returns the established call, or ends it with BYE when its answer was unusable or the caller cancelled meanwhile (§15).</summary>
    private async Task<OutboundCallResult> EstablishAsync(InviteClientTransaction tx, SipResponse ok, bool cancelled)
    {
        SipDialog dialog;
        SdpNegotiationResult? answer;
        string? failure;
        lock (_host.Sync)
        {
            dialog = tx.Dialog!;
            answer = tx.Answer;
            failure = cancelled ? "answered after CANCEL; hung up" : tx.AnswerFailure;
        }

        if (failure is not null)
        {
            // The handler never hears of this call: the caller learns from the result, and no media was set up.
            // An unusable answer (no SDP, no codec, or a refusal of our SRTP offer) is what 488 means (RFC 3326 Reason).
            await _host.HangUpUnreportedAsync(dialog, cancelled ? null : DelayedOffer.ByeReason(failure));

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
            Srtp = answer.Srtp,
        };
    }
}
