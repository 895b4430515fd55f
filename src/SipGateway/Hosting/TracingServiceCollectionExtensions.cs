using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>Exports the gateway's traces over OTLP when <c>Tracing:Enabled</c> is true.</summary>
internal static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// The ActivitySources exported: call set-up (<see cref="SipTracing.SourceName"/>), flow steps
    /// (<see cref="FlowTracing.SourceName"/>), and model and webhook requests: every outgoing HTTP request through .NET's
    /// own <c>System.Net.Http</c> source, plus Microsoft.Extensions.AI's chat-client source for model clients built on it.
    /// </summary>
    public static readonly IReadOnlyList<string> Sources =
        [SipTracing.SourceName, FlowTracing.SourceName, "System.Net.Http", "Experimental.Microsoft.Extensions.AI"];

    public static IServiceCollection AddOtlpTracing(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TracingOptions.SectionName).Get<TracingOptions>() ?? new TracingOptions();
        if (!options.Enabled)
        {
            return services;
        }

        var protocol = options.Protocol.ToUpperInvariant() switch
        {
            "GRPC" => OtlpExportProtocol.Grpc,
            "HTTP/PROTOBUF" or "HTTP" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new ArgumentException($"Tracing:Protocol must be grpc or http/protobuf, not '{options.Protocol}'.", nameof(configuration)),
        };
        if (options.SampleRatio is < 0 or > 1)
        {
            throw new ArgumentException($"Tracing:SampleRatio must be between 0 and 1, not {options.SampleRatio}.", nameof(configuration));
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("stepaudio-sip-gateway"))
            .WithTracing(tracing => tracing
                .AddSource([.. Sources])
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SampleRatio)))
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = options.Endpoint;
                    otlp.Protocol = protocol;
                }));
        return services;
    }
}
