using System.Globalization;
using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// Where a SIP message came from or goes to: the transport, an address, and on stream transports the connection.
/// A connection id of 0 means "no connection"; for a send, <see cref="Address"/> is where a new one is opened when the
/// connection is gone (RFC 3261 §18.2.2).
/// </summary>
public readonly record struct SipEndPoint(SipTransportProtocol Protocol, IPEndPoint Address, long ConnectionId = 0)
{
    public static SipEndPoint Udp(IPEndPoint address) => new(SipTransportProtocol.Udp, address);

    /// <summary>The Via transport token: "UDP", "TCP" or "TLS".</summary>
    public string ViaTransport => Protocol switch
    {
        SipTransportProtocol.Tcp => "TCP",
        SipTransportProtocol.Tls => "TLS",
        _ => "UDP",
    };

    public override string ToString() => ConnectionId == 0
        ? ViaTransport + ":" + Address
        : string.Create(CultureInfo.InvariantCulture, $"{ViaTransport}:{Address}#{ConnectionId}");
}
