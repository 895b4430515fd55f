using System.Text.Json;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>An <see cref="EventStore"/> on a fresh SQLite file or a fresh PostgreSQL database, with its queries.</summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory? _folder;
    private readonly LocalPostgres? _database;

    private StoreUnderTest(StoreOptions options, TimeProvider time, TempDirectory? folder, LocalPostgres? database)
    {
        Options = options;
        _folder = folder;
        _database = database;
        Store = new EventStore(Microsoft.Extensions.Options.Options.Create(options), time);
        Queries = new StoreQueries(Store);
    }

    public StoreOptions Options { get; }

    public EventStore Store { get; private set; }

    public StoreQueries Queries { get; private set; }

    public static async Task<StoreUnderTest> CreateAsync(StoreProvider provider, TimeProvider time, Action<StoreOptions>? configure = null)
    {
        var options = new StoreOptions { Provider = provider, SqliteSynchronous = "NORMAL" };
        TempDirectory? folder = null;
        LocalPostgres? database = null;
        if (provider == StoreProvider.Sqlite)
        {
            folder = new TempDirectory();
            options.SqlitePath = folder.File("analytics.db");
        }
        else
        {
            database = await LocalPostgres.CreateDatabaseAsync();
            options.PostgresConnectionString = database.ConnectionString;
        }

        configure?.Invoke(options);
        return new StoreUnderTest(options, time, folder, database);
    }

    /// <summary>Closes the store and opens a new one on the same database, as a service restart does.</summary>
    public async Task ReopenAsync(TimeProvider time)
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Store = new EventStore(Microsoft.Extensions.Options.Options.Create(Options), time);
        Queries = new StoreQueries(Store);
    }

    public Task<AppendResult> AppendAsync(ICallEvent e) => AppendJsonAsync(e, JsonSerializer.Serialize(e, e.GetType(), WebJson));

    public Task<AppendResult> AppendJsonAsync(ICallEvent e, string json, string? type = null) =>
        Store.AppendAsync(new StoredEvent(e.EventId, e.CallId, e.Sequence, type ?? e.GetType().Name, e.Timestamp, json));

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
