namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>Reception statistics of one RTP source at one instant, what a report block is made of (RFC 3550 §6.4.1).</summary>
/// <param name="HasSource">Whether any RTP arrived yet; without it there is nothing to report on.</param>
/// <param name="Ssrc">The source's SSRC.</param>
/// <param name="ExtendedHighestSequence">Cycles plus highest sequence number (A.1).</param>
/// <param name="Expected">Packets expected from the sequence numbers (A.3).</param>
/// <param name="Received">Packets received, duplicates included (A.3).</param>
/// <param name="Jitter">Interarrival jitter in timestamp units (A.8).</param>
internal readonly record struct RtpReceptionSnapshot(bool HasSource, uint Ssrc, long ExtendedHighestSequence, long Expected, long Received, uint Jitter);
