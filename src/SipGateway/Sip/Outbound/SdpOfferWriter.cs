using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Sip.Outbound;

/// <summary>
/// The initial offer of an outbound INVITE or of a delayed-offer 2xx (RFC 3264 §5): one sendrecv audio stream with our
/// codecs; with an SRTP key, RTP/SAVP and one SDES crypto line (RFC 4568 §7.1.1).
/// </summary>
internal static class SdpOfferWriter
{
    public static byte[] Write(IPEndPoint localRtp, IReadOnlyList<AudioCodec> codecs, int? telephoneEvent, ulong sessionId, SrtpMasterKey? srtp = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(codecs.Count);
        var ic = CultureInfo.InvariantCulture;
        var addrType = localRtp.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var sb = new StringBuilder(256);
        sb.Append("v=0\r\n");
        sb.Append(ic, $"o=- {sessionId} 1 IN {addrType} {localRtp.Address}\r\n");
        sb.Append("s=-\r\n");
        sb.Append(ic, $"c=IN {addrType} {localRtp.Address}\r\n");
        sb.Append("t=0 0\r\n");
        sb.Append(ic, $"m=audio {localRtp.Port} {(srtp is null ? "RTP/AVP" : "RTP/SAVP")}");
        foreach (var codec in codecs)
        {
            sb.Append(ic, $" {codec.PayloadType}");
        }

        if (telephoneEvent is { } te)
        {
            sb.Append(ic, $" {te}");
        }

        sb.Append("\r\n");
        foreach (var codec in codecs)
        {
            sb.Append(ic, $"a=rtpmap:{codec.PayloadType} {codec.EncodingName}/{codec.ClockRate}\r\n");
        }

        if (telephoneEvent is { } pt)
        {
            // RFC 4733 §7.1.1: events 0-15 are the DTMF digits; 16 is flash.
            sb.Append(ic, $"a=rtpmap:{pt} telephone-event/8000\r\na=fmtp:{pt} 0-16\r\n");
        }

        if (srtp is not null)
        {
            // RFC 4568 §6.1: the offerer's key protects what the offerer sends; the answer brings the peer's own.
            sb.Append("a=").Append(SdpCrypto.Format(SdpCrypto.OfferTag, SdpCrypto.AesCm128HmacSha1With80BitTag, srtp)).Append("\r\n");
        }

        sb.Append(ic, $"a=ptime:{SdpAnswerBuilder.PtimeMs}\r\n");
        sb.Append("a=sendrecv\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
