using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Counters of the TLS layer (Meter "StepAudio.Telephony"); its connections also count in sip.tcp.*.</summary>
internal static class TlsMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Handshakes = Meter.CreateCounter<long>("sip.tls.handshakes", "{handshake}", "Completed TLS handshakes.");

    public static readonly Counter<long> HandshakeFailures =
        Meter.CreateCounter<long>("sip.tls.handshake_failures", "{handshake}", "TLS handshakes that failed, by reason: timeout or error.");

    public static readonly Counter<long> CertificateReloads =
        Meter.CreateCounter<long>("sip.tls.certificate_reloads", "{reload}", "Certificate files re-read after a change, by outcome.");

    public static readonly KeyValuePair<string, object?> Timeout = new("reason", "timeout");
    public static readonly KeyValuePair<string, object?> Error = new("reason", "error");
    public static readonly KeyValuePair<string, object?> Loaded = new("outcome", "loaded");
    public static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
}
