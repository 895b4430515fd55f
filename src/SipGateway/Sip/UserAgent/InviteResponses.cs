using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transactions;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// What an initial INVITE is answered with: the responses that create a dialog (183 and 200, RFC 3261 §12.1.1) with
/// our SDP (an answer to the INVITE's offer, or our offer when it had none, RFC 3264), its other final responses, and
/// the dialog a 2xx sets up.
/// </summary>
internal sealed class InviteResponses
{
    private readonly SipDialogHost _host;

    public InviteResponses(SipDialogHost host) => _host = host;

    /// <summary>A final response that creates no dialog (3xx-6xx), with the transaction's To tag (RFC 3261 §9.2).</summary>
    public SipResponse Final(InviteServerTransaction tx, int statusCode, string reason) =>
        SipResponseFactory.Create(tx.Invite.Headers, statusCode, reason, tx.LocalTag, _host.Options.UserAgent);

    /// <summary>The 200 and the media state of the dialog it sets up; <paramref name="srtpOffer"/> is our SDES key when our offer is SRTP.</summary>
    public SipResponse CreateOk(
        InviteServerTransaction tx, SdpSessionDescription? offer, SdpNegotiationResult? negotiation, IPEndPoint localRtp, SrtpMasterKey? srtpOffer, out DialogMediaState media)
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
            media = CreateOffer(localRtp, srtpOffer);
            response.Body = media.LastLocalSdp;
            return response;
        }

        media = CreateAnswer(offer, negotiation, localRtp);
        response.Body = media.LastLocalSdp;
        return response;
    }

    /// <summary>
    /// Our offer for an INVITE without one (RFC 3261 §13.2.1, RFC 3264 §5), for a reliable 183 or the 200; RTP/SAVP with
    /// <paramref name="srtpKey"/> when the call is to be SRTP (<see cref="SrtpOfferPolicy"/>).
    /// </summary>
    public DialogMediaState CreateOffer(IPEndPoint localRtp, SrtpMasterKey? srtpKey) => DelayedOffer.CreateOffer(PublicRtp(localRtp), _host.Codecs, NewSessionId(), srtpKey);

    /// <summary>Our SDP answer to the INVITE's offer (RFC 3264 §6), for the 183 or the 200.</summary>
    public DialogMediaState CreateAnswer(SdpSessionDescription offer, SdpNegotiationResult negotiation, IPEndPoint localRtp)
    {
        localRtp = PublicRtp(localRtp);
        var sessionId = NewSessionId();
        var sdp = SdpAnswerBuilder.Build(offer, negotiation, localRtp, sessionId, 1);
        return new DialogMediaState(sessionId, localRtp, MediaUpdate.From(negotiation), sdp);
    }

    /// <summary>A response that creates a dialog (early for 1xx, RFC 3261 §12.1.1): To tag, Record-Route, Contact, SDP type.</summary>
    public SipResponse CreateDialogResponse(InviteServerTransaction tx, int statusCode, string reason)
    {
        var response = SipResponseFactory.Create(tx.Invite.Headers, statusCode, reason, tx.LocalTag, _host.Options.UserAgent);

        // RFC 3261 §12.1.1: the response copies Record-Route so both ends share the route set.
        foreach (var h in tx.Invite.Headers)
        {
            if (h.Id == SipHeaderId.RecordRoute)
            {
                response.Headers.Add(h);
            }
        }

        // RFC 3261 §18: the remote target names the transport so in-dialog requests come back over it.
        response.Headers.Add(SipHeaderId.Contact, _host.ContactFor(tx));
        response.Headers.Add(SipHeaderId.Allow, SipUserAgentServer.AllowedMethods);
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        response.Headers.Add(SipHeaderId.ContentType, "application/sdp");
        return response;
    }

    /// <summary>The dialog our 2xx creates, seen from the UAS (RFC 3261 §12.1.1).</summary>
    public static SipDialog CreateDialog(InviteServerTransaction tx, IncomingCall call)
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

    private IPEndPoint PublicRtp(IPEndPoint localRtp) =>
        localRtp.Address.Equals(IPAddress.Any) || localRtp.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(_host.PublicAddress, localRtp.Port) : localRtp;

    private static ulong NewSessionId() => BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) >> 1;
}
