using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// Whether an SDP offer of ours (the 2xx of a delayed-offer INVITE, an outbound INVITE or REFER leg) is SRTP: RTP/SAVP
/// with an SDES key (RFC 4568 §7.1.1) when Sip:Srtp:Mode is Required, or when it is Optional and the call's signalling
/// is secure (TLS, or a sips: Request-URI, RFC 3261 §26.2.2). SDES keys in plain UDP signalling protect nothing against
/// an eavesdropper, so Optional offers them only where the signalling keeps them secret.
/// </summary>
internal static class SrtpOfferPolicy
{
    /// <summary>Whether to offer SRTP under <paramref name="mode"/> on signalling that is (or is not) secure.</summary>
    public static bool OffersSrtp(SrtpMode mode, bool secureSignalling) =>
        mode == SrtpMode.Required || (mode == SrtpMode.Optional && secureSignalling);

    /// <summary>A fresh master key for one offer (RFC 4568 §6.1: never reused across offers), or null for plain RTP.</summary>
    public static SrtpMasterKey? KeyFor(SrtpOptions options, bool secureSignalling)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OffersSrtp(options.Mode, secureSignalling) ? SrtpMasterKey.Generate() : null;
    }

    /// <summary>Whether a request came over TLS or names a sips: URI (RFC 3261 §19.1: sips asks for TLS end to end).</summary>
    public static bool IsSecureSignalling(SipTransportProtocol transport, string requestUri) =>
        transport == SipTransportProtocol.Tls || requestUri.StartsWith("sips:", StringComparison.OrdinalIgnoreCase);
}
