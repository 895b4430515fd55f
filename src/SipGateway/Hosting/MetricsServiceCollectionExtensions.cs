using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>Exports the process's System.Diagnostics.Metrics instruments for Prometheus to scrape.</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary>The meter every part of the gateway records on (SIP, RTP, VAD, event publishing).</summary>
    public const string MeterName = "StepAudio.Telephony";

    /// <summary>
    /// Serves <c>http://{Metrics:ListenAddress}:{Metrics:Port}/metrics</c> through OpenTelemetry's Prometheus
    /// exporter; the code that counts only knows System.Diagnostics.Metrics.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Port == 0)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("stepaudio-sip-gateway"))
            .WithMetrics(metrics => metrics
            .AddMeter(MeterName)
            .AddPrometheusHttpListener(listener =>
            {
                listener.Host = options.ListenAddress;
                listener.Port = options.Port;
                // Scrapes must see the counters as they are now, not a copy up to 300 ms old.
                listener.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return services;
    }
}
