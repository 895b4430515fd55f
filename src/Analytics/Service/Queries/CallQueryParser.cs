using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>Turns <c>/api/calls</c> and <c>/api/trends</c> query strings into queries, or into the error naming the bad parameter.</summary>
internal static class CallQueryParser
{
    public const int MaxPageSize = 500;

    private static readonly string[] CallParameters =
        ["from", "to", "flow", "outcome", "frustrationAbove", "has", "emotion", "page", "pageSize"];

    private static readonly string[] TrendParameters = ["from", "to", "flow", "bucket", "utcOffsetMinutes"];

    private static readonly string[] AggregateParameters = ["from", "to", "flow"];

    private static readonly string[] Buckets = ["hour", "day"];

    public static CallQuery? ParseCalls(IQueryCollection query, out QueryError? error)
    {
        var p = QueryParameters.Read(query, CallParameters);
        var result = new CallQuery(
            p.Instant("from"),
            p.Instant("to"),
            p.Text("flow"),
            p.Word("outcome", Vocabulary.Outcomes),
            p.Number("frustrationAbove", 0, 1),
            p.Words("has", Vocabulary.SearchableVocalEvents),
            p.Word("emotion", Vocabulary.Emotions),
            p.Integer("page", 1, 1, 1_000_000),
            p.Integer("pageSize", 50, 1, MaxPageSize));
        CheckRange(p, result.From, result.To);
        error = p.Error;
        return error is null ? result : null;
    }

    public static TrendQuery? ParseTrends(IQueryCollection query, out QueryError? error)
    {
        var p = QueryParameters.Read(query, TrendParameters);
        var from = p.Instant("from");
        var to = p.Instant("to");
        var bucket = p.Word("bucket", Buckets) ?? "hour";
        // The browser sends -new Date().getTimezoneOffset(); real zones lie within UTC−12 … UTC+14.
        var offset = p.Integer("utcOffsetMinutes", 0, -12 * 60, 14 * 60);
        CheckRange(p, from, to);
        error = p.Error;
        return error is null
            ? new TrendQuery(from, to, p.Text("flow"), bucket == "day" ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1), TimeSpan.FromMinutes(offset))
            : null;
    }

    /// <summary>
    /// <c>/api/aggregates</c>: UTC hours; <paramref name="defaultFrom"/> when no <c>from</c> is given. A <c>from</c> inside
    /// an hour includes that whole hour, as rows are per hour.
    /// </summary>
    public static TrendQuery? ParseAggregates(IQueryCollection query, DateTimeOffset defaultFrom, out QueryError? error)
    {
        var p = QueryParameters.Read(query, AggregateParameters);
        var from = p.Instant("from") ?? defaultFrom;
        var to = p.Instant("to");
        CheckRange(p, from, to);
        error = p.Error;
        var hour = TimeSpan.FromHours(1);
        return error is null
            ? new TrendQuery(AggregateWindow.HourOf(from), to, p.Text("flow"), hour, TimeSpan.Zero)
            : null;
    }

    private static void CheckRange(QueryParameters p, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is not null && to is not null && to <= from)
        {
            p.Fail("to", "must be later than from");
        }
    }
}
