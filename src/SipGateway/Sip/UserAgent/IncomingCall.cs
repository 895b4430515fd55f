using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>An INVITE whose SDP offer was negotiated (or that asked for ours), handed to <see cref="ICallHandler.OnIncomingCallAsync"/>.</summary>
public sealed class IncomingCall
{
    /// <summary>Unique per call: Call-ID and our To tag.</summary>
    public required string DialogId { get; init; }

    public required string CallId { get; init; }

    /// <summary>URI of the From header (the caller).</summary>
    public required string FromUri { get; init; }

    /// <summary>URI of the To header (the number/user called).</summary>
    public required string ToUri { get; init; }

    /// <summary>Where to send RTP (offer's c= and m= port).</summary>
    public required IPEndPoint RemoteRtp { get; init; }

    /// <summary>PCMU or PCMA at 8000 Hz with the payload type the caller offered.</summary>
    public required AudioCodec Codec { get; init; }

    /// <summary>RFC 4733 telephone-event payload type when offered, else null.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    /// <summary>The SDES keys agreed in the offer/answer (RFC 4568) when the media is SRTP; null for plain RTP.</summary>
    public SrtpKeys? Srtp { get; init; }

    /// <summary>
    /// With <see cref="DelayedOffer"/>: our SDES key when our offer in the 2xx is SRTP (RFC 4568). The media protects
    /// with it and receives nothing until the answer's keys arrive in <see cref="MediaUpdate.Srtp"/>; null for plain RTP.
    /// </summary>
    public SrtpMasterKey? OfferedSrtpKey { get; init; }

    /// <summary>Source address of the INVITE.</summary>
    public required IPEndPoint RemoteSignalling { get; init; }

    /// <summary>
    /// The INVITE carried no offer (RFC 3261 §13.2.1): our 2xx makes it and the ACK brings the answer. Until then
    /// <see cref="RemoteRtp"/> is unspecified (0.0.0.0:0) and <see cref="Codec"/> is our first choice; the answer
    /// arrives as <see cref="ICallHandler.OnMediaUpdated"/> before <see cref="ICallHandler.OnCallConfirmed"/>.
    /// </summary>
    public bool DelayedOffer { get; init; }

    /// <summary>
    /// Sends 183 Session Progress with our answer before the call is answered (early media); null when the INVITE had
    /// no offer to answer early (delayed offer).
    /// </summary>
    public IEarlyMedia? EarlyMedia { get; init; }
}
