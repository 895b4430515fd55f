namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>What the gateway asks of a caller's media security (section "Sip:Srtp", key Mode).</summary>
public enum SrtpMode
{
    /// <summary>Plain RTP only: crypto attributes are ignored and RTP/SAVP offers are refused.</summary>
    Off,

    /// <summary>
    /// SRTP when the offer carries a usable SDES key (RTP/SAVP, or RTP/AVP with a=crypto), plain RTP otherwise. Our own
    /// offers (the 2xx of a delayed-offer INVITE) are SRTP when the call came over TLS or to a sips: URI.
    /// </summary>
    Optional,

    /// <summary>
    /// SRTP or nothing: an offer without a usable SDES key gets 488; our own offers (delayed-offer 2xx, outbound and
    /// transfer legs) are RTP/SAVP with a fresh key, and an answer that does not accept it ends the call.
    /// </summary>
    Required,
}
