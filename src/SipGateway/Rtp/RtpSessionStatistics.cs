using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>A snapshot of one <see cref="RtpSession"/>'s counters.</summary>
/// <param name="PacketsReceived">Valid RTP packets accepted from the (latched) peer, of any accepted payload type.</param>
/// <param name="FramesDelivered">Received audio payloads decoded and handed to the sink (after the jitter buffer).</param>
/// <param name="PacketsInvalid">Datagrams that failed RTP parsing (RFC 3550 §5.1 checks).</param>
/// <param name="PacketsWrongPayloadType">Valid packets whose payload type was not negotiated.</param>
/// <param name="PacketsFromUnexpectedSource">Datagrams from another address after latching.</param>
/// <param name="TelephoneEventPackets">RFC 4733 telephone-event packets (handed to the telephone-event receiver, not played).</param>
/// <param name="PacketsOutOfSequence">Packets discarded by the sequence check of RFC 3550 Appendix A.1.</param>
/// <param name="PacketsExpected">Expected packets from the current SSRC's sequence numbers (Appendix A.3).</param>
/// <param name="PacketsLost">
/// Expected minus received for the current SSRC (A.3), clamped at zero: duplicates make the raw difference negative,
/// and RTCP reports keep that raw value (<see cref="RtpSequenceStatistics.Lost"/>).
/// </param>
/// <param name="PacketsDuplicated">Received beyond those expected (duplicates), the part A.3 would count as negative loss.</param>
/// <param name="Jitter">Interarrival jitter of the current SSRC (Appendix A.8).</param>
/// <param name="PacketsSent">RTP packets sent.</param>
/// <param name="SendErrors">Datagrams the socket refused to send.</param>
/// <param name="ComfortNoisePackets">RFC 3389 CN packets received.</param>
/// <param name="SourceChanges">Times the peer switched to a new SSRC mid-call (RFC 3550 §8.2).</param>
/// <param name="FramesConcealed">Frames handed to the sink as an attenuated repeat of the previous one.</param>
/// <param name="FramesSilent">Frames handed to the sink as silence or comfort noise.</param>
/// <param name="JitterBuffer">The jitter buffer's delay, jitter, drift and drop counters.</param>
public readonly record struct RtpSessionStatistics(
    long PacketsReceived,
    long FramesDelivered,
    long PacketsInvalid,
    long PacketsWrongPayloadType,
    long PacketsFromUnexpectedSource,
    long TelephoneEventPackets,
    long PacketsOutOfSequence,
    long PacketsExpected,
    long PacketsLost,
    long PacketsDuplicated,
    TimeSpan Jitter,
    long PacketsSent,
    long SendErrors,
    long ComfortNoisePackets,
    long SourceChanges,
    long FramesConcealed,
    long FramesSilent,
    JitterBufferStatistics JitterBuffer);
