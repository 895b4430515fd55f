using System.Globalization;
using MassTransit;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Live;

namespace StepAudio.Telephony.Analytics.Service.Web;

/// <summary>The HTTP surface: JSON for tools, an event stream and one static page for people.</summary>
internal static class AnalyticsEndpoints
{
    private const string PageResource = "StepAudio.Telephony.Analytics.Service.Web.index.html";

    public static void MapAnalyticsEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", (IServiceProvider services) => Readiness(services.GetService<IBusControl>()));
        app.MapGet("/api/calls/active", (CallAggregator aggregator) => Results.Ok(aggregator.ActiveCalls()));
        app.MapGet("/api/aggregates", (CallAggregator aggregator, string? flow, string? from, string? to) =>
        {
            if (!TryParseInstant(from, out var fromInstant) || !TryParseInstant(to, out var toInstant))
            {
                return Results.BadRequest(new { error = "from and to must be ISO 8601 date-times, e.g. 2026-11-23T10:00:00Z" });
            }

            return Results.Ok(aggregator.Aggregates(string.IsNullOrEmpty(flow) ? null : flow, fromInstant, toInstant));
        });
        app.MapGet("/api/stream", (HttpContext context, EventStreamWriter writer) => writer.WriteAsync(context));
        app.MapGet("/", () =>
        {
            var page = typeof(AnalyticsEndpoints).Assembly.GetManifestResourceStream(PageResource)
                ?? throw new InvalidOperationException($"embedded resource {PageResource} is missing from the build");
            return Results.Stream(page, "text/html; charset=utf-8");
        });
    }

    /// <summary>Ready when the broker consumer is connected, or when the service consumes nothing (Analytics:ConsumeFromBroker=false).</summary>
    private static IResult Readiness(IBusControl? bus)
    {
        if (bus is null)
        {
            return Results.Ok(new { ready = true, broker = "not consumed" });
        }

        var health = bus.CheckHealth();
        var ready = health.Status == BusHealthStatus.Healthy;
        return Results.Json(
            new { ready, broker = health.Status.ToString(), detail = health.Description },
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static bool TryParseInstant(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        instant = parsed;
        return true;
    }
}
