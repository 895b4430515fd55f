using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// The server certificate of the TLS transport, loaded from the configured files and re-loaded when their size or
/// write time changes. The check runs before each handshake (two stat calls), so a renewed certificate is served from
/// the next connection on without a restart or a watcher thread. A file caught half-written, or a bad renewal, keeps
/// the previous certificate and is logged and counted; it is tried again when the files change once more.
/// </summary>
public sealed class TlsCertificateSource : IDisposable
{
    private readonly TlsTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private (DateTime, long, DateTime, long) _stamp;
    private X509Certificate2? _certificate;
    private SslStreamCertificateContext? _context;

    /// <summary>Loads the certificate now; throws when the files are missing or unreadable (a configuration error at start).</summary>
    public TlsCertificateSource(TlsTransportOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _stamp = Stamp();
        Install(Load());
    }

    /// <summary>The certificate served now (for logs and tests).</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            lock (_gate)
            {
                return _certificate!;
            }
        }
    }

    /// <summary>The context for the next handshake, re-loaded first when the files changed.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            lock (_gate)
            {
                var stamp = Stamp();
                if (stamp != _stamp)
                {
                    _stamp = stamp;
                    try
                    {
                        Install(Load());
                        TlsMetrics.CertificateReloads.Add(1, TlsMetrics.Loaded);
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            _logger.LogInformation("TLS certificate reloaded: {Subject}, valid until {NotAfter:O}", _certificate!.Subject, _certificate.NotAfter);
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                    {
                        TlsMetrics.CertificateReloads.Add(1, TlsMetrics.Failed);
                        _logger.LogWarning(ex, "TLS certificate files changed but could not be loaded; the previous certificate stays in use");
                    }
                }

                return _context!;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _certificate?.Dispose();
        }
    }

    private X509Certificate2 Load()
    {
        var path = _options.CertificatePath!;
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, _options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }

        var keyPath = _options.PrivateKeyPath ?? path;
        using var pem = _options.CertificatePassword is { } password
            ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath)
            : X509Certificate2.CreateFromPemFile(path, keyPath);

        // An ephemeral PEM key cannot serve TLS on every platform; a PKCS#12 round trip gives a usable key handle.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private void Install(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException("The TLS certificate has no private key.");
        }

        // The previous certificate is not disposed: handshakes in flight may still use it; the GC frees it after.
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _certificate = certificate;
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(_options.CertificatePath!);
        var key = _options.PrivateKeyPath is { } keyPath ? new FileInfo(keyPath) : null;
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key is { Exists: true } ? key.LastWriteTimeUtc : default, key is { Exists: true } ? key.Length : -1);
    }
}
