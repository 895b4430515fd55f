namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>A snapshot of one <see cref="RtcpSession"/>: our RTCP traffic and what the peer reported about our stream.</summary>
/// <param name="PacketsSent">Compound RTCP packets sent.</param>
/// <param name="PacketsReceived">Valid compound RTCP packets received.</param>
/// <param name="PacketsInvalid">Datagrams that failed the RFC 3550 A.2 checks or came from another host than the RTP peer (counted and dropped).</param>
/// <param name="PeerFractionLost">Share of our packets the peer lost in its last reporting interval (0–1); null before its first report on us.</param>
/// <param name="PeerCumulativeLost">Our packets the peer lost since the start; null before its first report on us.</param>
/// <param name="PeerJitter">Interarrival jitter the peer measured on our stream; null before its first report on us.</param>
/// <param name="RoundTripTime">The latest round-trip time from LSR/DLSR (RFC 3550 §6.4.1); null until the peer echoed one of our SRs.</param>
/// <param name="PeerSentGoodbye">Whether the peer sent an RTCP BYE (§6.6).</param>
public readonly record struct RtcpStatistics(
    long PacketsSent,
    long PacketsReceived,
    long PacketsInvalid,
    double? PeerFractionLost,
    long? PeerCumulativeLost,
    TimeSpan? PeerJitter,
    TimeSpan? RoundTripTime,
    bool PeerSentGoodbye);
