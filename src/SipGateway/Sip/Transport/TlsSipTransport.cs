using System.Net;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// SIP over TLS (RFC 3261 §26.2, §18; the transport of sips: URIs): the TCP transport's connection handling and
/// Content-Length framing over <see cref="System.Net.Security.SslStream"/>, on its own port, with the certificate from
/// <see cref="TlsTransportOptions"/> reloaded when its files change. Handshakes are bounded and counted, so a client
/// that connects and never completes one costs a slot for at most <see cref="TlsTransportOptions.HandshakeTimeout"/>.
/// </summary>
public sealed class TlsSipTransport : ISipTransport
{
    private readonly TlsCertificateSource _certificates;
    private readonly TcpSipTransport _connections;

    /// <param name="bindEndPoint">Address and port to listen on (port 0: the OS picks).</param>
    /// <param name="tcp">Connection limits, message sizes and timeouts, shared with the TCP transport.</param>
    /// <param name="tls">Certificate files and handshake policy.</param>
    /// <param name="serverName">Server header of the error responses the transport itself sends.</param>
    public TlsSipTransport(IPEndPoint bindEndPoint, TcpTransportOptions tcp, TlsTransportOptions tls, string serverName, ILogger<TlsSipTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(logger);
        tls.Validate();
        _certificates = new TlsCertificateSource(tls, logger);
        try
        {
            _connections = new TcpSipTransport(bindEndPoint, tcp, serverName, logger, new TlsConnectionSecurity(tls, _certificates, logger));
        }
        catch
        {
            _certificates.Dispose();
            throw;
        }
    }

    public SipTransportProtocol Protocol => SipTransportProtocol.Tls;

    public IPEndPoint LocalEndPoint => _connections.LocalEndPoint;

    /// <summary>Connections open now, handshaking ones included.</summary>
    public int ConnectionCount => _connections.ConnectionCount;

    /// <summary>Where the served certificate comes from; it reloads itself when the files change.</summary>
    public TlsCertificateSource Certificates => _certificates;

    public void Start(SipMessageHandler handler) => _connections.Start(handler);

    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, SipEndPoint destination, CancellationToken cancellationToken = default) =>
        _connections.SendAsync(message, destination, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        _certificates.Dispose();
    }
}
