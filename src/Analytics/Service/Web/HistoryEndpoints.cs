using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Web;

/// <summary>
/// The stored history: call search (JSON and CSV), one call's events, and trends. Bad filters get a 400 naming the
/// parameter; an unavailable database a 503.
/// </summary>
internal static class HistoryEndpoints
{
    /// <summary>The most rows one CSV export holds; narrow the filters for more.</summary>
    public const int MaxCsvRows = 100_000;

    public static void MapHistoryEndpoints(this WebApplication app)
    {
        app.MapGet("/api/calls", (HttpRequest request, StoreQueries queries, CancellationToken ct) => Guarded(async () =>
        {
            var query = CallQueryParser.ParseCalls(request.Query, out var error);
            return query is null ? Results.BadRequest(error) : Results.Ok(await queries.CallsAsync(query, ct));
        }));
        app.MapGet("/api/calls.csv", (HttpRequest request, StoreQueries queries, CancellationToken ct) => Guarded(async () =>
        {
            var query = CallQueryParser.ParseCalls(request.Query, out var error);
            if (query is null)
            {
                return Results.BadRequest(error);
            }

            // The export is the whole search, not the page on screen.
            var page = await queries.CallsAsync(query with { Page = 1, PageSize = MaxCsvRows }, ct);
            return Results.File(CallCsv.Write(page.Calls), "text/csv; charset=utf-8", "calls.csv");
        }));
        app.MapGet("/api/calls/{callId}", (string callId, StoreQueries queries, CancellationToken ct) => Guarded(async () =>
            await queries.CallAsync(callId, ct) is { } detail
                ? Results.Ok(detail)
                : Results.NotFound(new QueryError("callId", $"no events are stored for call '{callId}'"))));
        app.MapGet("/api/trends", (HttpRequest request, StoreQueries queries, CancellationToken ct) => Guarded(async () =>
        {
            var query = CallQueryParser.ParseTrends(request.Query, out var error);
            return query is null ? Results.BadRequest(error) : Results.Ok(await queries.TrendsAsync(query, ct));
        }));
    }

    /// <summary>Answers 503 with the reason while the database is unavailable.</summary>
    public static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler();
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
