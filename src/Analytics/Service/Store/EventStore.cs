using System.Data.Common;
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

    private const string CallEventsSql =
        "SELECT event_type, occurred_at, body FROM call_events WHERE call_id = @call_id ORDER BY sequence";

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
    /// Stores several events in one transaction (all or none), each call's summary folded once at the end. For bulk
    /// loads (imports, the benchmark's 100,000 calls); the consumer writes one event per transaction so that each
    /// acknowledgement follows its own commit.
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

    /// <summary>Runs <paramref name="work"/>, turning database failures into <see cref="StoreUnavailableException"/>.</summary>
    internal static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
                                       || (ex is InvalidOperationException && ex.InnerException is DbException or IOException))
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
        var connection = transaction.Connection!;
        var results = new AppendResult[events.Count];
        var touched = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        // Locks in a fixed order, so two instances writing overlapping batches cannot deadlock.
        foreach (var callId in events.Select(e => e.CallId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await _dialect.LockAsync(transaction, callId, cancellationToken);
        }

        await using (var insert = StoreCommands.Create(connection, transaction, InsertEventSql))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                insert.Parameters.Clear();
                StoreCommands.Add(insert, "event_id", e.EventId.ToString("D"));
                StoreCommands.Add(insert, "call_id", e.CallId);
                StoreCommands.Add(insert, "sequence", e.Sequence);
                StoreCommands.Add(insert, "event_type", e.Type);
                StoreCommands.Add(insert, "occurred_at", e.Timestamp.ToUnixTimeMilliseconds());
                StoreCommands.Add(insert, "received_at", _time.GetUtcNow().ToUnixTimeMilliseconds());
                StoreCommands.Add(insert, "body", e.Json);
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    results[i] = AppendResult.Duplicate;
                    continue;
                }

                results[i] = AppendResult.Stored;
                if (!touched.TryGetValue(e.CallId, out var indexes))
                {
                    touched[e.CallId] = indexes = [];
                }

                indexes.Add(i);
            }
        }

        foreach (var (callId, indexes) in touched)
        {
            var summary = await FoldAsync(transaction, callId, cancellationToken);
            if (summary.StartedAt < _time.GetUtcNow() - _options.Retention)
            {
                // Too old to keep: take this call's new events out again.
                foreach (var i in indexes)
                {
                    await using var delete = StoreCommands.Create(connection, transaction, "DELETE FROM call_events WHERE event_id = @event_id");
                    StoreCommands.Add(delete, "event_id", events[i].EventId.ToString("D"));
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                    results[i] = AppendResult.OutsideRetention;
                }

                continue;
            }

            await using var upsert = StoreCommands.Create(connection, transaction, CallRows.UpsertSql);
            CallRows.Bind(upsert, summary);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        return results;
    }

    private static async Task<CallSummary> FoldAsync(DbTransaction transaction, string callId, CancellationToken cancellationToken)
    {
        var builder = new CallSummaryBuilder(callId);
        await using var read = StoreCommands.Create(transaction.Connection!, transaction, CallEventsSql);
        StoreCommands.Add(read, "call_id", callId);
        await using var rows = await read.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            using var body = JsonDocument.Parse(rows.GetString(2));
            builder.Add(rows.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)), body.RootElement);
        }

        return builder.Build();
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
            await _dialect.LockAsync(transaction, "stepaudio-analytics-schema", cancellationToken);
            foreach (var statement in StoreSchema.Statements(_dialect))
            {
                await using var command = StoreCommands.Create(connection, transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
