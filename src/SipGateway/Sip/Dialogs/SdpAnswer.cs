using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>
/// Reads the SDP answer to an offer we made (RFC 3264 §6, §7): in the 2xx of our INVITE or re-INVITE, or in the ACK of
/// a 2xx that carried our offer (delayed offer, RFC 3261 §13.2.1). One reading rule for every place an answer arrives.
/// </summary>
internal static class SdpAnswer
{
    /// <summary>The failure text when the message carried no SDP at all.</summary>
    public const string Missing = "no SDP answer";

    /// <summary>Whether a Content-Type names application/sdp (parameters ignored).</summary>
    public static bool IsSdp(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return type.Equals("application/sdp", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The negotiated media of a usable answer, or false with <paramref name="failure"/>: <see cref="Missing"/> when
    /// there is no SDP body, else "unusable SDP answer: …" (unparsable, or no codec of <paramref name="codecs"/>).
    /// With <paramref name="srtp"/> (the keys of an SRTP dialog) the answer must keep SRTP with the peer's key in use
    /// (<see cref="SdpNegotiator.Renegotiate"/>); without, it is plain RTP. With <paramref name="offeredKey"/> (our
    /// initial offer was SDES) the answer must accept it and bring the peer's key (<see cref="SdpNegotiator.TakeAnswer"/>).
    /// </summary>
    public static bool TryRead(
        string? contentType, ReadOnlySpan<byte> body, IReadOnlyList<AudioCodec> codecs,
        [NotNullWhen(true)] out SdpNegotiationResult? negotiation, out string failure, SrtpKeys? srtp = null, SrtpMasterKey? offeredKey = null)
    {
        negotiation = null;
        failure = string.Empty;
        if (body.IsEmpty || !IsSdp(contentType))
        {
            failure = Missing;
            return false;
        }

        if (!SdpParser.TryParse(body, out var answer, out var error))
        {
            failure = "unusable SDP answer: " + error;
            return false;
        }

        var result = offeredKey is null ? SdpNegotiator.Renegotiate(answer, codecs, srtp) : SdpNegotiator.TakeAnswer(answer, codecs, offeredKey);
        if (!result.IsSuccess)
        {
            failure = "unusable SDP answer: " + result.FailureReason;
            return false;
        }

        negotiation = result;
        return true;
    }
}
