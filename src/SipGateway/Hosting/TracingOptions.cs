namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>OpenTelemetry traces exported over OTLP (section <c>Tracing</c>); off by default, nothing leaves the host.</summary>
public sealed class TracingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Tracing";

    /// <summary>Export traces; false (the default) records nothing at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>The OTLP collector, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318/v1/traces</c> (HTTP).</summary>
    public Uri Endpoint { get; set; } = new("http://127.0.0.1:4317");

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Share of traces kept (parent-based ratio sampler), 0 to 1.</summary>
    public double SampleRatio { get; set; } = 1.0;
}
