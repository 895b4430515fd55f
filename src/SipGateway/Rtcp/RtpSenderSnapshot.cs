namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>Our own sending at one instant, for an SR's sender info (RFC 3550 §6.4.1).</summary>
/// <param name="Packets">RTP packets sent.</param>
/// <param name="Octets">RTP payload octets sent.</param>
/// <param name="RtpTimestamp">
/// The timestamp the next audio frame will carry. While audio is paced in real time this is "now" on the media clock
/// to within one frame, which is the accuracy §6.4.1 asks for lip-sync; no one here synchronises two streams.
/// </param>
internal readonly record struct RtpSenderSnapshot(long Packets, long Octets, uint RtpTimestamp);
