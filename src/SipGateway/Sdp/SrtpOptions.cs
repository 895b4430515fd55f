namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>
/// SRTP policy (bind as section "Sip:Srtp"): RFC 3711 with SDES keys (RFC 4568), suite AES_CM_128_HMAC_SHA1_80.
/// SDES keys travel in the SDP, so they are only as secret as the signalling: use it with SIP over TLS ("Sip:Tls").
/// </summary>
public sealed class SrtpOptions
{
    /// <summary>
    /// Off, Optional (default: SRTP when the caller offers a usable key; our own offers are SRTP on calls over TLS or
    /// sips:) or Required (SRTP offers only, and our own offers are SRTP).
    /// </summary>
    public SrtpMode Mode { get; set; } = SrtpMode.Optional;
}
