namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// The keys an SDES exchange (RFC 4568) agreed for one call: ours protects what we send, the peer's unprotects what
/// we receive (§6.1: each side declares the key it sends with).
/// </summary>
/// <param name="Local">Our master key, offered or answered in our a=crypto line.</param>
/// <param name="Remote">The peer's master key, from its a=crypto line.</param>
/// <param name="Tag">The a=crypto tag of the accepted line (RFC 4568 §9.1: the answer repeats it).</param>
/// <param name="Suite">The crypto-suite name, e.g. AES_CM_128_HMAC_SHA1_80.</param>
public sealed record SrtpKeys(SrtpMasterKey Local, SrtpMasterKey Remote, int Tag, string Suite);
