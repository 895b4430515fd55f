using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// Writes events, each exactly once (the event id is the key, the call id + sequence a second key), and keeps every
/// call's summary row folded from all of its events in the same transaction. Every database failure surfaces as
/// <see cref="StoreUnavailableException"/> so that the caller can leave the event on the queue and retry.
/// </summary>
public sealed class EventStore : IAsyncDisposable
{
    private const string InsertEventSql =
        "INSERT INTO call_events (event_id, call_id, sequence, event_type, occurred_at, received_at, body) "
        + "VALUES (@event_id, @call_id, @sequence, @event_type, @occurred_at, @received_at, @body) ON CONFLICT DO NOTHING";

    /// <summary>Calls whose events are read back in one query when their summaries are refolded.</summary>
    private const int FoldChunk = 500;

    private readonly IStoreDialect _dialect;
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public EventStore(IOptions<StoreOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _dialect = _options.Provider == StoreProvider.Postgres ? new PostgresDialect(_options) : new SqliteDialect(_options);
    }

    public StoreProvider Provider => _dialect.Provider;

    /// <summary>Stores <paramref name="storedEvent"/> unless it is stored already or its call is older than the retention.</summary>
    public async Task<AppendResult> AppendAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        return (await AppendBatchAsync([storedEvent], cancellationToken))[0];
    }

    /// <summary>
    /// Stores several events in one transaction (all or none), each touched call's summary folded once at the end.
    /// The consumer's writes arrive here through Ingestion/BatchingEventWriter, which acknowledges each message only
    /// after the commit of the batch that holds it; bulk loads (the benchmark's 100,000 calls) call it directly.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return await GuardAsync(async () =>
        {
            await EnsureSchemaAsync(cancellationToken);
            if (_dialect.SingleWriter)
            {
                await _writer.WaitAsync(cancellationToken);
            }

            try
            {
                await using var connection = await _dialect.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var results = await AppendAsync(transaction, events, cancellationToken);
                if (results.Contains(AppendResult.Stored))
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                else
                {
                    await transaction.RollbackAsync(cancellationToken);
                }

                return results;
            }
            finally
            {
                if (_dialect.SingleWriter)
                {
                    _writer.Release();
                }
            }
        });
    }

    /// <summary>Deletes calls that started before the retention cut-off, with their events; returns how many calls.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();
        return await GuardAsync(async () =>
        {
            await EnsureSchemaAsync(cancellationToken);
            await using var connection = await _dialect.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var events = StoreCommands.Create(connection, transaction,
                "DELETE FROM call_events WHERE call_id IN (SELECT call_id FROM calls WHERE started_at < @cutoff)"))
            {
                StoreCommands.Add(events, "cutoff", cutoff);
                await events.ExecuteNonQueryAsync(cancellationToken);
            }

            int calls;
            await using (var rows = StoreCommands.Create(connection, transaction, "DELETE FROM calls WHERE started_at < @cutoff"))
            {
                StoreCommands.Add(rows, "cutoff", cutoff);
                calls = await rows.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return calls;
        });
    }

    /// <summary>An open connection for the read side (created schema guaranteed).</summary>
    internal async Task<DbConnection> OpenForReadingAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await _dialect.OpenAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/>, turning database failures into <see cref="StoreUnavailableException"/> except
    /// those that blame the data (SQLSTATE classes 22 and 23, SQL:2016 Part 2 §24.1: say a NUL character in a call id
    /// that PostgreSQL refuses), which retrying would never mend: those propagate as they are, so the message goes to
    /// the error queue instead of blocking a consumer for ever.
    /// </summary>
    internal static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when ((ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
                                        || (ex is InvalidOperationException && ex.InnerException is DbException or IOException))
                                   && ex is not DbException { SqlState: ['2', '2' or '3', ..] })
        {
            throw new StoreUnavailableException($"the analytics database is unavailable: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dialect is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _writer.Dispose();
        _schemaGate.Dispose();
    }

    private async Task<AppendResult[]> AppendAsync(DbTransaction transaction, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var results = new AppendResult[events.Count];
        var receivedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // Round trips, not rows, are what a transaction costs on PostgreSQL: the locks and inserts go as one batch,
        // the touched calls' events come back in one query, and their summaries go as one more batch.
        var writes = new CommandBatch();
        if (_dialect.LockSql is { } lockSql)
        {
            // Locks in a fixed order, so two instances writing overlapping batches cannot deadlock.
            foreach (var callId in events.Select(e => e.CallId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                writes.Add(lockSql, ("key", callId));
            }
        }

        var firstInsert = writes.Count;
        foreach (var e in events)
        {
            writes.Add(InsertEventSql,
                ("event_id", e.EventId.ToString("D")), ("call_id", e.CallId), ("sequence", e.Sequence), ("event_type", e.Type),
                ("occurred_at", e.Timestamp.ToUnixTimeMilliseconds()), ("received_at", receivedAt), ("body", e.Json));
        }

        var affected = await writes.ExecuteAsync(transaction, cancellationToken);
        var touched = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            // Nothing inserted: the event id, or the call's sequence number, is already stored (a redelivery).
            results[i] = affected[firstInsert + i] == 0 ? AppendResult.Duplicate : AppendResult.Stored;
            if (results[i] == AppendResult.Stored)
            {
                if (!touched.TryGetValue(events[i].CallId, out var indexes))
                {
                    touched[events[i].CallId] = indexes = [];
                }

                indexes.Add(i);
            }
        }

        if (touched.Count == 0)
        {
            return results;
        }

        var summaries = await FoldAsync(transaction, touched.Keys, cancellationToken);
        var cutoff = _time.GetUtcNow() - _options.Retention;
        var updates = new CommandBatch();
        foreach (var (callId, indexes) in touched)
        {
            var summary = summaries[callId].Summary;
            if (summary.StartedAt < cutoff)
            {
                // Too old to keep: take this call's new events out again.
                foreach (var i in indexes)
                {
                    updates.Add("DELETE FROM call_events WHERE event_id = @event_id", ("event_id", events[i].EventId.ToString("D")));
                    results[i] = AppendResult.OutsideRetention;
                }

                continue;
            }

            updates.Add(CallRows.UpsertSql, CallRows.Parameters(summary));
            updates.Add(LiveCallRows.UpdateSql, LiveCallRows.Parameters(callId, summaries[callId].Live, receivedAt));
        }

        await updates.ExecuteAsync(transaction, cancellationToken);
        return results;
    }

    /// <summary>Each of <paramref name="callIds"/> folded from all of its stored events, committed or of this transaction.</summary>
    private static async Task<Dictionary<string, (CallSummary Summary, LiveCallState Live)>> FoldAsync(
        DbTransaction transaction, IReadOnlyCollection<string> callIds, CancellationToken cancellationToken)
    {
        var builders = callIds.ToDictionary(id => id, id => new CallSummaryBuilder(id), StringComparer.Ordinal);
        // One query per chunk of calls; SQLite allows 32,766 parameters, PostgreSQL 65,535.
        foreach (var chunk in callIds.Chunk(FoldChunk))
        {
            var names = chunk.Select((_, i) => "@c" + i.ToString(CultureInfo.InvariantCulture));
            await using var read = StoreCommands.Create(transaction.Connection!, transaction,
                $"SELECT call_id, event_type, occurred_at, body FROM call_events WHERE call_id IN ({string.Join(", ", names)}) ORDER BY call_id, sequence");
            for (var i = 0; i < chunk.Length; i++)
            {
                StoreCommands.Add(read, "c" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
            }

            await using var rows = await read.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                using var body = JsonDocument.Parse(rows.GetString(3));
                builders[rows.GetString(0)].Add(rows.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(2)), body.RootElement);
            }
        }

        return builders.ToDictionary(p => p.Key, p => (p.Value.Build(), p.Value.BuildLive()), StringComparer.Ordinal);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await using var connection = await _dialect.OpenAsync(cancellationToken);
            foreach (var statement in _dialect.PreludeSql)
            {
                await using var prelude = StoreCommands.Create(connection, null, statement);
                await prelude.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two instances starting together must not both create the tables (PostgreSQL would fail the second).
            if (_dialect.LockSql is { } lockSql)
            {
                var schemaLock = new CommandBatch();
                schemaLock.Add(lockSql, ("key", "stepaudio-analytics-schema"));
                await schemaLock.ExecuteAsync(transaction, cancellationToken);
            }

            foreach (var statement in StoreSchema.Statements(_dialect))
            {
                await using var command = StoreCommands.Create(connection, transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // Columns added since the table was first created: a database of an older version gains them here.
            var existing = await ColumnsAsync(transaction, "calls", cancellationToken);
            var additions = new CommandBatch();
            foreach (var (name, definition) in LiveCallRows.Columns(_dialect).Where(c => !existing.Contains(c.Name)))
            {
                additions.Add($"ALTER TABLE calls ADD COLUMN {name} {definition}");
            }

            foreach (var statement in StoreSchema.LaterIndexes)
            {
                additions.Add(statement);
            }

            await additions.ExecuteAsync(transaction, cancellationToken);

            await transaction.CommitAsync(cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        // Both databases describe a result set's columns even when it has no rows.
        await using var probe = StoreCommands.Create(transaction.Connection!, transaction, $"SELECT * FROM {table} WHERE 1 = 0");
        await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
    }
}
