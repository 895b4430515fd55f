using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Live;
using StepAudio.Telephony.Analytics.Service.Queries;

namespace StepAudio.Telephony.Analytics.Service.Web;

/// <summary>The HTTP surface: JSON for tools, an event stream and one static page for people.</summary>
internal static class AnalyticsEndpoints
{
    private const string PageResource = "StepAudio.Telephony.Analytics.Service.Web.index.html";

    public static void MapAnalyticsEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/api/calls/active", (CallAggregator aggregator) => Results.Ok(aggregator.ActiveCalls()));
        app.MapGet("/api/aggregates", (HttpRequest request, StoreQueries queries, AggregateWindow window, CancellationToken ct) =>
            HistoryEndpoints.Guarded(async () =>
            {
                var query = CallQueryParser.ParseAggregates(request.Query, window.DefaultFrom(), out var error);
                return query is null ? Results.BadRequest(error) : Results.Ok(await queries.AggregatesAsync(query, ct));
            }));
        app.MapHistoryEndpoints();
        app.MapGet("/api/stream", (HttpContext context, EventStreamWriter writer) => writer.WriteAsync(context));
        app.MapGet("/", () =>
        {
            var page = typeof(AnalyticsEndpoints).Assembly.GetManifestResourceStream(PageResource)
                ?? throw new InvalidOperationException($"embedded resource {PageResource} is missing from the build");
            return Results.Stream(page, "text/html; charset=utf-8");
        });
    }
}
