using MassTransit;
using StepAudio.Telephony.Analytics.Service.Live;
using StepAudio.Telephony.Analytics.Service.Queries;

namespace StepAudio.Telephony.Analytics.Service.Web;

/// <summary>The HTTP surface: JSON for tools, an event stream and one static page for people.</summary>
internal static class AnalyticsEndpoints
{
    private const string ResourcePrefix = "StepAudio.Telephony.Analytics.Service.Web.";

    /// <summary>The page and its scripts, served from the assembly: no wwwroot, no build step, nothing from a CDN.</summary>
    private static readonly (string Path, string Resource, string ContentType)[] PageFiles =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/charts.js", "charts.js", "text/javascript; charset=utf-8"),
        ("/timeline.js", "timeline.js", "text/javascript; charset=utf-8"),
        ("/page.js", "page.js", "text/javascript; charset=utf-8"),
    ];

    public static void MapAnalyticsEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", (IServiceProvider services) => Readiness(services.GetService<IBusControl>()));
        app.MapGet("/api/calls/active", (ActiveCallMonitor monitor, CancellationToken ct) =>
            HistoryEndpoints.Guarded(async () => Results.Ok(await monitor.ActiveCallsAsync(ct))));
        app.MapGet("/api/aggregates", (HttpRequest request, StoreQueries queries, AggregateWindow window, CancellationToken ct) =>
            HistoryEndpoints.Guarded(async () =>
            {
                var query = CallQueryParser.ParseAggregates(request.Query, window.DefaultFrom(), out var error);
                return query is null ? Results.BadRequest(error) : Results.Ok(await queries.AggregatesAsync(query, ct));
            }));
        app.MapHistoryEndpoints();
        app.MapGet("/api/stream", (HttpContext context, EventStreamWriter writer) => writer.WriteAsync(context));
        foreach (var (path, resource, contentType) in PageFiles)
        {
            app.MapGet(path, () =>
            {
                var file = typeof(AnalyticsEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + resource)
                    ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
                return Results.Stream(file, contentType);
            });
        }
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
}
