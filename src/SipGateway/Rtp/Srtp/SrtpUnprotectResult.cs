namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>What became of one received SRTP or SRTCP packet.</summary>
public enum SrtpUnprotectResult
{
    /// <summary>Authenticated and decrypted; the plain packet is in the buffer.</summary>
    Ok,

    /// <summary>Too short or not RTP/RTCP; dropped.</summary>
    Malformed,

    /// <summary>The authentication tag did not match (wrong key, tampered or garbage); dropped (RFC 3711 §3.3 step 5).</summary>
    AuthenticationFailed,

    /// <summary>The index was seen already or is behind the replay window; dropped (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>The peer's key is not known yet (our SDES offer is unanswered); dropped, never read as plain RTP.</summary>
    NoKey,
}
