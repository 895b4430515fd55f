using System.Net;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// The session as renegotiated by a re-INVITE or UPDATE (RFC 3264 §8): where and how to send, and whether to send
/// at all. <see cref="Direction"/> is ours, i.e. the mirror of what the peer offered (RFC 3264 §6.1).
/// </summary>
public sealed record MediaUpdate(IPEndPoint RemoteRtp, AudioCodec Codec, SdpDirection Direction, int? TelephoneEventPayloadType)
{
    /// <summary>
    /// Whether we may send RTP: our direction allows it and the peer gave a real address. c=0.0.0.0 is the RFC 2543
    /// way of putting a call on hold, still sent by many trunks (RFC 3264 §8.4).
    /// </summary>
    public bool SendsAudio =>
        Direction is SdpDirection.SendRecv or SdpDirection.SendOnly
        && !RemoteRtp.Address.Equals(IPAddress.Any) && !RemoteRtp.Address.Equals(IPAddress.IPv6Any) && RemoteRtp.Port != 0;

    /// <summary>Whether the peer intends to send us RTP.</summary>
    public bool ReceivesAudio => Direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    /// <summary>The SDES keys of the media (unchanged by renegotiation), or null for plain RTP.</summary>
    public SrtpKeys? Srtp { get; init; }

    internal static MediaUpdate From(SdpNegotiationResult negotiation) =>
        new(negotiation.RemoteRtp!, negotiation.Codec!, negotiation.AnswerDirection, negotiation.TelephoneEventPayloadType) { Srtp = negotiation.Srtp };
}
