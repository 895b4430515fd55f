using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// Keeps responses inside one UDP datagram. A request can carry enough Via entries (they are split one per line and
/// echoed with the long header name, RFC 3261 §8.2.6.2) that its response outgrows the largest UDP payload. RFC 3261
/// §18.1.1 moves such a message to TCP, but a response has to go back over the request's transport (§18.2.2), so the
/// request is answered with 513 Message Too Large (§21.5.4) instead.
/// </summary>
internal static class UdpResponseSize
{
    /// <summary>
    /// Room for what the UAS writes itself: status line, To tag, Server, Contact, Allow, Supported, Session-Expires,
    /// Content-Type, Content-Length and an SDP answer together stay well below this.
    /// </summary>
    public const int OwnContentReserve = 2_048;

    /// <summary>65,535 minus the 20-octet IPv4 header and the 8-octet UDP header.</summary>
    public const int MaxIpv4Payload = 65_507;

    /// <summary>65,535 minus the UDP header; the IPv6 payload length excludes the fixed header (RFC 8200 §3).</summary>
    public const int MaxIpv6Payload = 65_527;

    public static int MaxPayload(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? MaxIpv6Payload : MaxIpv4Payload;

    /// <summary>
    /// True when the headers a response copies from <paramref name="requestHeaders"/> (Record-Route included, as a 2xx
    /// to INVITE copies it) plus <see cref="OwnContentReserve"/> exceed one datagram. Counts exactly what
    /// <see cref="SipMessage.ToBytes"/> writes per header, "Name: value\r\n", without allocating.
    /// </summary>
    public static bool ExceedsDatagram(SipHeaders requestHeaders, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        var size = OwnContentReserve;
        foreach (var header in requestHeaders)
        {
            if (header.Id is SipHeaderId.Via or SipHeaderId.From or SipHeaderId.To or SipHeaderId.CallId or SipHeaderId.CSeq or SipHeaderId.RecordRoute)
            {
                size += SipHeaderNames.GetName(header.Id).Length + 4 + header.Value.Length;
            }
        }

        return size > MaxPayload(family);
    }

    /// <summary>
    /// 513 carrying only the top Via: the client matches a response by that entry's branch (RFC 3261 §17.1.3) and it is
    /// the one the response is routed to (§18.2.2); the entries below belong to proxies that already forwarded it.
    /// </summary>
    public static SipResponse CreateMessageTooLarge(SipHeaders requestHeaders, string toTag, string serverName)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        var kept = new SipHeaders();
        var viaSeen = false;
        foreach (var header in requestHeaders)
        {
            if (header.Id == SipHeaderId.Via ? !viaSeen : header.Id is SipHeaderId.From or SipHeaderId.To or SipHeaderId.CallId or SipHeaderId.CSeq)
            {
                viaSeen |= header.Id == SipHeaderId.Via;
                kept.Add(header);
            }
        }

        return SipResponseFactory.Create(kept, 513, "Message Too Large", toTag, serverName);
    }
}
