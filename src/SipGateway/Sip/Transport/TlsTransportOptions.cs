namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>
/// SIP over TLS (bind as section "Sip:Tls"; RFC 3261 §26.2, §18): a listener on its own port, framed like TCP, with a
/// certificate read from files and re-read when they change, so a renewed certificate needs no restart.
/// Connection limits, message sizes and idle/send timeouts are those of "Sip:Tcp".
/// </summary>
public sealed class TlsTransportOptions
{
    /// <summary>Whether to listen on TLS (default false: it needs a certificate).</summary>
    public bool Enabled { get; set; }

    /// <summary>TLS port (default 5061, RFC 3261 §19.1.2); 0 lets the OS choose (tests).</summary>
    public int Port { get; set; } = 5061;

    /// <summary>
    /// The server certificate: a PEM file (with <see cref="PrivateKeyPath"/>, or with the key in the same file) or a
    /// PKCS#12 (.pfx/.p12) file with its key. Checked for changes before each handshake.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of a PEM certificate; null when the key is in <see cref="CertificatePath"/>.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key; null when there is none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// A client that has not finished the handshake in this time is disconnected and counted
    /// (sip.tls.handshake_failures, reason timeout): a slow or silent client cannot hold a connection slot.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Ask clients for a certificate and refuse those without a valid one (mutual TLS with a trunk).</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// When we open a connection (the peer's is gone, RFC 3261 §18.2.2), accept a server certificate that does not
    /// validate. Only for tests and closed networks; default false.
    /// </summary>
    public bool AllowUntrustedServerCertificates { get; set; }

    /// <summary>Throws on values that would make the transport unusable.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            throw new InvalidOperationException("Sip:Tls:CertificatePath is required when Sip:Tls:Enabled is true.");
        }
    }
}
