using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Sdp;

/// <summary>Writes the answer for a successful negotiation (RFC 3264 §6, RFC 4566 §5).</summary>
public static class SdpAnswerBuilder
{
    /// <summary>Packetisation time we send with (RFC 4566 §6 a=ptime).</summary>
    public const int PtimeMs = 20;

    public static byte[] Build(SdpSessionDescription offer, SdpNegotiationResult negotiation, IPEndPoint localRtp, ulong sessionId, ulong sessionVersion)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(negotiation);
        ArgumentNullException.ThrowIfNull(localRtp);
        if (!negotiation.IsSuccess)
        {
            throw new ArgumentException("Cannot answer a failed negotiation.", nameof(negotiation));
        }

        var codec = negotiation.Codec!;
        var addrType = localRtp.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var address = localRtp.Address.ToString();
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(256);
        sb.Append("v=0\r\n");
        sb.Append(ic, $"o=- {sessionId} {sessionVersion} IN {addrType} {address}\r\n");
        sb.Append("s=-\r\n");
        sb.Append(ic, $"c=IN {addrType} {address}\r\n");
        sb.Append("t=0 0\r\n");

        // RFC 3264 §6: one m= line per offered stream, in order; streams we decline get port 0.
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var media = offer.Media[i];
            if (i != negotiation.MediaIndex)
            {
                var fmt = media.Formats.Count > 0 ? media.Formats[0] : "0";
                sb.Append(ic, $"m={media.Media} 0 {media.Protocol} {fmt}\r\n");
                continue;
            }

            // RFC 4568 §7.1.1: an SRTP answer keeps the offered profile (RTP/SAVP, or RTP/AVP for best-effort SRTP).
            var profile = negotiation.Srtp is null ? "RTP/AVP" : media.Protocol;
            sb.Append(ic, $"m=audio {localRtp.Port} {profile} {codec.PayloadType}");
            if (negotiation.TelephoneEventPayloadType is { } te)
            {
                sb.Append(ic, $" {te}");
            }

            if (negotiation.ComfortNoisePayloadType is { } cn)
            {
                sb.Append(ic, $" {cn}");
            }

            sb.Append("\r\n");
            sb.Append(ic, $"a=rtpmap:{codec.PayloadType} {codec.EncodingName}/{codec.ClockRate}\r\n");
            if (negotiation.TelephoneEventPayloadType is { } tePt)
            {
                sb.Append(ic, $"a=rtpmap:{tePt} telephone-event/8000\r\n");
                sb.Append(ic, $"a=fmtp:{tePt} {negotiation.TelephoneEventFmtp ?? "0-15"}\r\n");
            }

            if (negotiation.ComfortNoisePayloadType is { } cnPt)
            {
                // RFC 3389 §5.1: CN is offered and answered like any payload type.
                sb.Append(ic, $"a=rtpmap:{cnPt} CN/8000\r\n");
            }

            if (negotiation.Srtp is { } srtp)
            {
                sb.Append("a=").Append(SdpCrypto.Format(srtp.Tag, srtp.Suite, srtp.Local)).Append("\r\n");
            }

            sb.Append(ic, $"a=ptime:{PtimeMs}\r\n");
            sb.Append("a=").Append(DirectionName(negotiation.AnswerDirection)).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static string DirectionName(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };
}
