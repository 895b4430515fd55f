using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>The read side of the store: call search, one call's events, and per-flow trends, all in SQL on indexed columns.</summary>
public sealed class StoreQueries(EventStore store)
{
    private const long BandCount = 4;
    private static readonly string[] EndedSums = ["duration_seconds", "sighs", "laughs", "crying"];

    /// <summary>The calls matching <paramref name="query"/>, newest first, one page.</summary>
    public Task<CallPage> CallsAsync(CallQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return EventStore.GuardAsync(async () =>
        {
            await using var connection = await store.OpenForReadingAsync(cancellationToken);
            var (where, bind) = Where(query);
            long total;
            await using (var count = StoreCommands.Create(connection, null, $"SELECT COUNT(*) FROM calls{where}"))
            {
                bind(count);
                total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            var calls = new List<CallSummary>();
            await using var list = StoreCommands.Create(connection, null,
                $"SELECT {CallRows.SelectList} FROM calls{where} ORDER BY started_at DESC, call_id LIMIT @limit OFFSET @offset");
            bind(list);
            StoreCommands.Add(list, "limit", query.PageSize);
            StoreCommands.Add(list, "offset", (long)(query.Page - 1) * query.PageSize);
            await using var rows = await list.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                calls.Add(CallRows.Read(rows));
            }

            return new CallPage(total, query.Page, query.PageSize, calls);
        });
    }

    /// <summary>The call and all its events; null when nothing is stored for <paramref name="callId"/>.</summary>
    public Task<CallDetail?> CallAsync(string callId, CancellationToken cancellationToken = default) =>
        EventStore.GuardAsync(async () =>
        {
            await using var connection = await store.OpenForReadingAsync(cancellationToken);
            CallSummary? call = null;
            await using (var summary = StoreCommands.Create(connection, null, $"SELECT {CallRows.SelectList} FROM calls WHERE call_id = @id"))
            {
                StoreCommands.Add(summary, "id", callId);
                await using var row = await summary.ExecuteReaderAsync(cancellationToken);
                if (await row.ReadAsync(cancellationToken))
                {
                    call = CallRows.Read(row);
                }
            }

            if (call is null)
            {
                return null;
            }

            var events = new List<EventView>();
            await using var read = StoreCommands.Create(connection, null,
                "SELECT event_id, event_type, sequence, occurred_at, received_at, body FROM call_events WHERE call_id = @id ORDER BY sequence");
            StoreCommands.Add(read, "id", callId);
            await using var rows = await read.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                using var body = JsonDocument.Parse(rows.GetString(5));
                events.Add(new EventView(
                    Guid.Parse(rows.GetString(0)), rows.GetString(1), rows.GetInt64(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(4)),
                    body.RootElement.Clone()));
            }

            return (CallDetail?)new CallDetail(call, events);
        });

    /// <summary>
    /// Calls in progress (no CallEnded stored) that any instance wrote at or after <paramref name="since"/>, oldest
    /// first: every instance sharing the database lists the same calls, whichever consumed their events.
    /// </summary>
    public Task<IReadOnlyList<ActiveCallView>> ActiveCallsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        EventStore.GuardAsync(async () =>
        {
            await using var connection = await store.OpenForReadingAsync(cancellationToken);
            await using var command = StoreCommands.Create(connection, null, LiveCallRows.ActiveSql);
            StoreCommands.Add(command, "since", since.ToUnixTimeMilliseconds());
            var calls = new List<ActiveCallView>();
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                calls.Add(LiveCallRows.Read(rows));
            }

            return (IReadOnlyList<ActiveCallView>)calls;
        });

    /// <summary>When any instance last wrote any call (Unix ms on the writer's clock); 0 for an empty store.</summary>
    public Task<long> LatestWriteAsync(CancellationToken cancellationToken = default) =>
        EventStore.GuardAsync(async () =>
        {
            await using var connection = await store.OpenForReadingAsync(cancellationToken);
            await using var command = StoreCommands.Create(connection, null, "SELECT MAX(received_at) FROM calls");
            var latest = await command.ExecuteScalarAsync(cancellationToken);
            return latest is null or DBNull ? 0 : Convert.ToInt64(latest, CultureInfo.InvariantCulture);
        });

    /// <summary>Per flow and bucket, newest bucket first.</summary>
    public Task<IReadOnlyList<TrendRow>> TrendsAsync(TrendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return EventStore.GuardAsync(async () =>
        {
            await using var connection = await store.OpenForReadingAsync(cancellationToken);
            var (where, bind) = Where(new CallQuery(query.From, query.To, query.Flow));
            var sql = new StringBuilder()
                .Append("SELECT flow, ((started_at + @offset) / @size) * @size - @offset AS bucket, COUNT(*), SUM(start_seen), ")
                .Append("SUM(CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END), ");
            foreach (var outcome in Vocabulary.Outcomes.Where(o => o != Vocabulary.InProgress))
            {
                sql.Append(CultureInfo.InvariantCulture, $"SUM(CASE WHEN outcome = '{outcome}' THEN 1 ELSE 0 END), ");
            }

            sql.Append("SUM(CASE WHEN ended_at IS NULL THEN 0 ELSE peak_frustration END), ")
                .Append("MAX(CASE WHEN ended_at IS NULL THEN 0 ELSE peak_frustration END), ");
            for (var band = 0; band < BandCount; band++)
            {
                var low = band / (double)BandCount;
                var high = band == BandCount - 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" AND peak_frustration < {(band + 1) / (double)BandCount}");
                sql.Append(CultureInfo.InvariantCulture, $"SUM(CASE WHEN ended_at IS NOT NULL AND peak_frustration >= {low}{high} THEN 1 ELSE 0 END), ");
            }

            foreach (var label in Vocabulary.Emotions)
            {
                sql.Append(CultureInfo.InvariantCulture, $"SUM({Vocabulary.EmotionColumn(label)}), ");
            }

            foreach (var column in EndedSums)
            {
                sql.Append(CultureInfo.InvariantCulture, $"SUM(CASE WHEN ended_at IS NULL THEN 0 ELSE {column} END), ");
            }

            sql.Append("SUM(transfers) FROM calls").Append(where).Append(" GROUP BY flow, bucket ORDER BY bucket DESC, flow");
            await using var command = StoreCommands.Create(connection, null, sql.ToString());
            bind(command);
            StoreCommands.Add(command, "offset", (long)query.UtcOffset.TotalMilliseconds);
            StoreCommands.Add(command, "size", (long)query.Bucket.TotalMilliseconds);
            var result = new List<TrendRow>();
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                result.Add(ReadTrend(rows));
            }

            return (IReadOnlyList<TrendRow>)result;
        });
    }

    /// <summary>The trend rows of <paramref name="query"/> in the shape of <c>/api/aggregates</c>.</summary>
    public async Task<IReadOnlyList<AggregateRow>> AggregatesAsync(TrendQuery query, CancellationToken cancellationToken = default) =>
        [.. (await TrendsAsync(query, cancellationToken)).Select(r => r.ToAggregateRow())];

    private static TrendRow ReadTrend(DbDataReader row)
    {
        var i = 0;
        long Long() => Convert.ToInt64(row.GetValue(i++), CultureInfo.InvariantCulture);
        double Double() => Convert.ToDouble(row.GetValue(i++), CultureInfo.InvariantCulture);
        var flow = row.GetString(i++);
        var bucket = DateTimeOffset.FromUnixTimeMilliseconds(Long());
        var (calls, started, ended) = (Long(), Long(), Long());
        var outcomes = new OutcomeCounts(Long(), Long(), Long(), Long(), Long());
        var (sumPeak, maxPeak) = (Double(), Double());
        var bands = Enumerable.Range(0, (int)BandCount).Select(_ => Long()).ToList();
        var emotions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var label in Vocabulary.Emotions)
        {
            emotions[label] = Long();
        }

        var duration = Double();
        return new TrendRow(flow, bucket, calls, started, ended, outcomes, ended > 0 ? sumPeak / ended : 0, maxPeak, bands,
            emotions, duration, Long(), Long(), Long(), Long());
    }

    private static (string Where, Action<DbCommand> Bind) Where(CallQuery query)
    {
        var clauses = new List<string>();
        var values = new List<(string, object)>();
        void Add(string clause, string name, object value)
        {
            clauses.Add(clause);
            values.Add((name, value));
        }

        if (query.From is { } from)
        {
            Add("started_at >= @from", "from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            Add("started_at < @to", "to", to.ToUnixTimeMilliseconds());
        }

        if (query.Flow is { } flow)
        {
            Add("flow = @flow", "flow", flow);
        }

        if (query.Outcome is { } outcome)
        {
            Add("outcome = @outcome", "outcome", outcome);
        }

        if (query.FrustrationAbove is { } above)
        {
            Add("peak_frustration > @frustration", "frustration", above);
        }

        // Column names below come from the closed vocabularies the parser checked against, never from the request.
        foreach (var kind in query.Has ?? [])
        {
            clauses.Add($"{Vocabulary.VocalColumn(Vocabulary.Canonical(Vocabulary.SearchableVocalEvents, kind) ?? kind)} > 0");
        }

        if (Vocabulary.Canonical(Vocabulary.Emotions, query.Emotion) is { } emotion)
        {
            clauses.Add($"{Vocabulary.EmotionColumn(emotion)} > 0");
        }

        var where = clauses.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", clauses);
        return (where, command =>
        {
            foreach (var (name, value) in values)
            {
                StoreCommands.Add(command, name, value);
            }
        });
    }
}
