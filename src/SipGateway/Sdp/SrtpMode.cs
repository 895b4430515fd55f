namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>What the gateway asks of a caller's media security (section "Sip:Srtp", key Mode).</summary>
public enum SrtpMode
{
    /// <summary>Plain RTP only: crypto attributes are ignored and RTP/SAVP offers are refused.</summary>
    Off,

    /// <summary>SRTP when the offer carries a usable SDES key (RTP/SAVP, or RTP/AVP with a=crypto), plain RTP otherwise.</summary>
    Optional,

    /// <summary>SRTP or nothing: an offer without a usable SDES key gets 488.</summary>
    Required,
}
