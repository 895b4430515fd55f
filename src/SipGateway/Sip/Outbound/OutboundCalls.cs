using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// The calls the gateway places (UAC, RFC 3261 §13.2): starts each <see cref="OutboundLeg"/>, routes the responses to
/// its INVITE client transactions, and puts the dialog a 2xx creates into the user agent's table like an answered
/// call, so BYE in either direction, re-INVITE/UPDATE from the callee and shutdown treat both alike.
/// </summary>
internal sealed class OutboundCalls : IOutboundHost
{
    private const int DefaultSipPort = 5060;

    private readonly IDialogHost _host;
    private readonly DialogTable _dialogs;
    private readonly Dictionary<string, InviteClientTransaction> _invites = new(StringComparer.Ordinal);

    public OutboundCalls(IDialogHost host, DialogTable dialogs)
    {
        _host = host;
        _dialogs = dialogs;
    }

    public SipOptions Options => _host.Options;

    public string ContactHostPort => _host.ContactHostPort;

    public Lock Sync => _host.Sync;

    public CancellationToken Stopping => _host.Stopping;

    public TimeProvider Time => _host.Time;

    /// <summary>
    /// Places a call from <paramref name="publicAddress"/> (see <see cref="SipUserAgentServer.PlaceCallAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a SIP URI, or names a host and no destination is given.</exception>
    public async Task<OutboundCallResult> PlaceAsync(OutboundCallRequest request, IPAddress publicAddress, CancellationToken cancellationToken)
    {
        if (!SipUri.TryParse(request.Target, out var target))
        {
            throw new ArgumentException("Target is not a SIP URI.", nameof(request));
        }

        var nextHop = request.Destination ?? (IPAddress.TryParse(target.Host.Trim('[', ']'), out var literal)
            ? new IPEndPoint(literal, target.Port ?? DefaultSipPort)
            : throw new ArgumentException("Destination is required when the target host is not an IP literal (no RFC 3263 resolution).", nameof(request)));
        var destination = SipEndPoint.Udp(nextHop);
        var localRtp = request.LocalRtp.Address.Equals(IPAddress.Any) || request.LocalRtp.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(publicAddress, request.LocalRtp.Port)
            : request.LocalRtp;
        var sessionId = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) >> 1;
        // Outbound legs are signalled over UDP, so only Sip:Srtp:Mode=Required makes their offer SRTP.
        var srtpKey = SrtpOfferPolicy.KeyFor(_host.Options.Srtp, secureSignalling: false);
        var offer = new OfferedSession(
            sessionId, localRtp, SdpOfferWriter.Write(localRtp, request.Codecs, request.TelephoneEventPayloadType, sessionId, srtpKey), srtpKey);
        OutboundMetrics.Placed.Add(1);

        return await new OutboundLeg(request, destination, offer, this).PlaceAsync(cancellationToken);
    }

    /// <summary>Responses to our outbound INVITEs (matched per §17.1.3: branch and CSeq method); false for anything else.</summary>
    public bool TryHandleResponse(SipResponse response)
    {
        InviteClientTransaction? tx;
        byte[]? ack = null;
        lock (_host.Sync)
        {
            if (response.TopVia?.Branch is not { } branch || !_invites.TryGetValue(branch, out tx)
                || response.CSeq is not { Method: SipMethods.Invite } cseq || cseq.Number != tx.CSeq)
            {
                return false;
            }

            if (response.StatusCode >= 300)
            {
                ack = tx.Ack ??= InviteDerivedRequests.FailureAck(tx.Invite, tx.CSeq, response, _host.Options.UserAgent).ToBytes();
            }
            else if (response.StatusCode >= 200)
            {
                // §13.2.2.4: the ACK of a 2xx is a new transaction inside the dialog the 2xx created. A 2xx from another
                // fork (different To tag) would need its own ACK and BYE; we ACK only the first dialog.
                if (tx.Dialog is null)
                {
                    tx.Dialog = CreateDialog(tx, response);
                    AcceptAnswer(tx, response);
                    if (tx.Answer is not null)
                    {
                        _dialogs.Add(tx.Dialog);
                    }
                }

                if (string.Equals(response.To?.Tag, tx.Dialog.RemoteTag, StringComparison.Ordinal))
                {
                    ack = tx.Ack ??= _host.BuildInDialogRequest(
                        tx.Dialog, SipMethods.Ack, "z9hG4bK" + _host.NewToken(), tx.CSeq, h => CopyCredentials(tx.Invite, h), null, null).ToBytes();
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
            _host.Send(ack, tx.Dialog is { } d && response.IsSuccess ? _host.InDialogDestination(d) : tx.Destination);
        }

        tx.Final.TrySetResult(response);
        return true;
    }

    public void Send(byte[] bytes, SipEndPoint destination) => _host.Send(bytes, destination);

    public string NewToken() => _host.NewToken();

    public void Track(InviteClientTransaction tx)
    {
        lock (_host.Sync)
        {
            _invites[tx.Branch] = tx;
        }
    }

    public void Forget(InviteClientTransaction tx)
    {
        lock (_host.Sync)
        {
            _invites.Remove(tx.Branch);
        }
    }

    public Task<int> RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken) =>
        _host.RunClientTransactionAsync(bytes, destination, branch, cancellationToken);

    public Task HangUpUnreportedAsync(SipDialog dialog, string? reason = null) => _host.HangUpUnreportedAsync(dialog, reason);

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
    private static SipDialog CreateDialog(InviteClientTransaction tx, SipResponse ok)
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
            Id = DialogTable.Key(callId, localTag),
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
    /// The SDP answer of the first 2xx (RFC 3264 §6): without a usable one the call cannot carry audio, and the leg
    /// ends it with BYE (RFC 3261 §13.2.2.4 lets no 2xx go unacknowledged). Runs under the lock, before the dialog
    /// enters the table, so in-dialog requests always find its INVITE usage.
    /// </summary>
    private void AcceptAnswer(InviteClientTransaction tx, SipResponse ok)
    {
        if (!SdpAnswer.TryRead(ok.ContentType, ok.Body.Span, AudioCodecPreferences.Supported, out var negotiation, out var failure, offeredKey: tx.Offer.SrtpKey))
        {
            tx.AnswerFailure = failure == SdpAnswer.Missing ? "2xx without an SDP answer" : failure;
            return;
        }

        tx.Answer = negotiation;
        var media = new DialogMediaState(tx.Offer.SessionId, tx.Offer.LocalRtp, MediaUpdate.From(negotiation), tx.Offer.Sdp);
        tx.Dialog!.InDialog.Usage = new InviteUsage(tx.Dialog, _host, media);
    }
}
