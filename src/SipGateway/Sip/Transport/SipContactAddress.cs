using System.Globalization;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// Our Contact (the dialog's remote target for the peer) for a request that reached us on <see cref="SipEndPoint"/>:
/// it names the transport, so in-dialog requests come back over the same one (RFC 3261 §18, §12.1.1).
/// </summary>
public static class SipContactAddress
{
    /// <param name="arrival">Where the request came from, i.e. the transport it used.</param>
    /// <param name="requestUri">The request's Request-URI.</param>
    /// <param name="hostPort">Our advertised host:port (the UDP/TCP port).</param>
    /// <param name="tlsPort">The TLS listener's port, when there is one.</param>
    public static string For(SipEndPoint arrival, string requestUri, string hostPort, int? tlsPort)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(hostPort);
        switch (arrival.Protocol)
        {
            case SipTransportProtocol.Tcp:
                return $"<sip:{hostPort};transport=tcp>";
            case SipTransportProtocol.Tls:
                var host = tlsPort is { } port ? string.Create(CultureInfo.InvariantCulture, $"{Host(hostPort)}:{port}") : hostPort;

                // RFC 3261 §12.1.1: a sips Request-URI needs a sips Contact; a sip: one that came over TLS names the transport.
                return requestUri.StartsWith("sips:", StringComparison.OrdinalIgnoreCase) ? $"<sips:{host}>" : $"<sip:{host};transport=tls>";
            default:
                return $"<sip:{hostPort}>";
        }
    }

    /// <summary>The host of host[:port], an IPv6 reference keeping its brackets.</summary>
    private static string Host(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return colon > hostPort.LastIndexOf(']') ? hostPort[..colon] : hostPort;
    }
}
