namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>The Prometheus scrape endpoint (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Metrics";

    /// <summary>
    /// Host the endpoint listens on. Loopback by default so nothing is exposed by accident; set it to
    /// <c>*</c> (all addresses) or a specific address for a remote Prometheus.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port of <c>/metrics</c>; 0 turns the endpoint off.</summary>
    public int Port { get; set; } = 9464;
}
