using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// The TLS handshakes of the TLS transport (RFC 3261 §26.2.1): as server on accepted connections, as client on those we
/// open. Each handshake is bounded by <see cref="TlsTransportOptions.HandshakeTimeout"/>; a failure or timeout is
/// counted and ends only that connection.
/// </summary>
internal sealed class TlsConnectionSecurity
{
    private readonly TlsTransportOptions _options;
    private readonly TlsCertificateSource _certificates;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _errorLog = new(TimeSpan.FromSeconds(10));

    public TlsConnectionSecurity(TlsTransportOptions options, TlsCertificateSource certificates, ILogger logger)
    {
        _options = options;
        _certificates = certificates;
        _logger = logger;
    }

    /// <summary>Server handshake on an accepted connection; null (counted, logged at a bounded rate) when it fails or times out.</summary>
    public Task<SslStream?> AcceptAsync(Stream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificates.Current,
            ClientCertificateRequired = _options.RequireClientCertificate,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = ValidateClient,
        };

        return HandshakeAsync(stream, remote, (ssl, ct) => ssl.AuthenticateAsServerAsync(options, ct), cancellationToken);
    }

    /// <summary>Client handshake on a connection we opened; the peer's certificate is validated unless configured otherwise.</summary>
    public Task<SslStream?> ConnectAsync(Stream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = remote.Address.ToString(),
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = ValidateServer,
        };

        return HandshakeAsync(stream, remote, (ssl, ct) => ssl.AuthenticateAsClientAsync(options, ct), cancellationToken);
    }

    /// <summary>Without mutual TLS a client certificate, if one is sent at all, is not what admits the peer.</summary>
    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        !_options.RequireClientCertificate || errors == SslPolicyErrors.None;

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None || _options.AllowUntrustedServerCertificates;

    private async Task<SslStream?> HandshakeAsync(Stream stream, IPEndPoint remote, Func<SslStream, CancellationToken, Task> handshake, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await handshake(ssl, limit.Token);
            TlsMetrics.Handshakes.Add(1);
            return ssl;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TlsMetrics.HandshakeFailures.Add(1, TlsMetrics.Timeout);
            Log(remote, "timed out", null);
        }
        catch (OperationCanceledException)
        {
            // Shutdown or the connection closed: not the peer's fault, not counted.
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            TlsMetrics.HandshakeFailures.Add(1, TlsMetrics.Error);
            Log(remote, "failed", ex);
        }

        await ssl.DisposeAsync();
        return null;
    }

    private void Log(IPEndPoint remote, string what, Exception? ex)
    {
        if (_errorLog.TryAcquire(out var suppressed))
        {
            _logger.LogWarning(ex, "SIP TLS handshake with {Remote} {What} ({Suppressed} similar suppressed)", remote, what, suppressed);
        }
    }
}
