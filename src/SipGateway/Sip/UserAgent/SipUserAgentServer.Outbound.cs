using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Outbound calls (UAC, RFC 3261 §13.2): each is an <see cref="OutboundLeg"/>; the user agent keeps the table its
/// responses are routed through and puts the dialog a 2xx creates into the same table as answered calls, so BYE in
/// either direction, re-INVITE/UPDATE from the callee and shutdown treat both alike.
/// </summary>
public sealed partial class SipUserAgentServer : IOutboundHost
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

        return await new OutboundLeg(request, destination, offer, this).PlaceAsync(cancellationToken);
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
                        _dialogs.Add(tx.Dialog);
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

    /// <summary>Ends a placed call the handler never heard of (answer unusable, or answered after CANCEL): BYE only (§15).</summary>
    private async Task HangUpUnreportedAsync(SipDialog dialog)
    {
        if (dialog.TryMarkTerminated())
        {
            await SendByeAndRemoveAsync(dialog, CancellationToken.None);
        }
    }

    SipOptions IOutboundHost.Options => _options;

    Lock IOutboundHost.Sync => _sync;

    CancellationToken IOutboundHost.Stopping => _stopping.Token;

    void IOutboundHost.Send(byte[] bytes, SipEndPoint destination) => Send(bytes, destination);

    string IOutboundHost.NewToken() => NewToken();

    void IOutboundHost.Track(InviteClientTransaction tx)
    {
        lock (_sync)
        {
            _outboundInvites[tx.Branch] = tx;
        }
    }

    void IOutboundHost.Forget(InviteClientTransaction tx)
    {
        lock (_sync)
        {
            _outboundInvites.Remove(tx.Branch);
        }
    }

    Task<int> IOutboundHost.RunClientTransactionAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken) =>
        RunClientTransactionAsync(bytes, destination, branch, cancellationToken);

    Task IOutboundHost.HangUpUnreportedAsync(SipDialog dialog) => HangUpUnreportedAsync(dialog);
}
