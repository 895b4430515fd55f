using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Benchmarks.AnalyticsStore;

/// <summary>
/// <c>analytics-store</c>: (1) events/s that the real analytics service ingests from the real RabbitMQ into its store,
/// each message acknowledged only after its commit; (2) with <c>--stored-calls</c> calls in the store, how long the
/// service takes to answer the call list, a filtered call list, a call's detail and the trends over HTTP.
/// Uses a throw-away SQLite file or PostgreSQL database (scripts/start-postgres.sh), removed afterwards.
/// </summary>
internal static class AnalyticsStoreBenchmark
{
    public const string CommandName = "analytics-store";
    private const string PostgresAdmin = "Host=127.0.0.1;Port=5432;Username=stepaudio;Password=stepaudio;Database=postgres;Pooling=false";
    private const int SeedBatchCalls = 250;
    private const int QueryRepeats = 30;
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(AnalyticsStoreArguments arguments)
    {
        var folder = Directory.CreateTempSubdirectory("stepaudio-analytics-bench-");
        var database = $"analytics_bench_{Guid.NewGuid():N}";
        var queue = $"analytics-bench-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?>
        {
            ["Analytics:Http:Urls"] = "http://127.0.0.1:0",
            ["Analytics:QueueName"] = queue,
            // Durable (a quorum queue, as in production), so that the events wait on it while no service runs.
            ["Analytics:TransientQueue"] = "false",
            ["Analytics:Store:Provider"] = arguments.Provider.ToString(),
            ["Analytics:Store:SqlitePath"] = Path.Combine(folder.FullName, "analytics.db"),
            ["Analytics:Store:SqliteSynchronous"] = arguments.Synchronous,
            ["Analytics:Store:WriteBatchSize"] = arguments.WriteBatchSize.ToString(CultureInfo.InvariantCulture),
            ["Analytics:Store:PostgresConnectionString"] =
                $"Host=127.0.0.1;Port=5432;Username=stepaudio;Password=stepaudio;Database={database}",
        };
        if (arguments.Provider == StoreProvider.Postgres)
        {
            await AdminAsync($"CREATE DATABASE {database}");
        }

        try
        {
            // A first start declares the queue and its bindings; the events are then published while no service
            // consumes, so that what is timed is the service draining a full queue, not the publisher.
            await using (var declare = await StartServiceAsync(settings))
            {
                await declare.StopAsync();
            }

            var (prefix, events) = await PublishAsync(arguments);
            await using var app = await StartServiceAsync(settings);
            try
            {
                await IngestAsync(arguments, settings, prefix, events);
                // Other work on this machine may publish events to the same exchanges, and so to this queue: stop
                // consuming, so that only the seeded calls are stored while the queries are timed.
                await app.Services.GetRequiredService<IBusControl>().StopAsync();
                if (arguments.StoredCalls > arguments.IngestCalls)
                {
                    await QueryAsync(app, arguments, settings);
                }
            }
            finally
            {
                await app.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            folder.Delete(recursive: true);
            await DeleteQueueAsync(queue);
            if (arguments.Provider == StoreProvider.Postgres)
            {
                await DropDatabaseAsync(database);
            }
        }

        return 0;
    }

    private static async Task<WebApplication> StartServiceAsync(Dictionary<string, string?> settings)
    {
        var app = AnalyticsServiceHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var bus = app.Services.GetRequiredService<IBusControl>();
        var ready = Stopwatch.StartNew();
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            if (ready.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the service never connected to RabbitMQ");
            }

            await Task.Delay(20);
        }

        return app;
    }

    private static async Task<(string Prefix, List<ICallEvent> Events)> PublishAsync(AnalyticsStoreArguments arguments)
    {
        var publisher = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.UseBroker(new RabbitMqOptions());
            EventTopology.Configure(cfg);
        });
        await publisher.StartAsync();
        var prefix = "ingest-" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var events = Enumerable.Range(0, arguments.IngestCalls).SelectMany(n => BenchCalls.Call(prefix, n, start.AddSeconds(n))).ToList();
        try
        {
            // Publisher confirms on, 64 in flight.
            foreach (var chunk in events.Chunk(64))
            {
                await Task.WhenAll(chunk.Select(e => publisher.Publish(e, e.GetType(), c => c.MessageId = e.EventId)));
            }
        }
        finally
        {
            await publisher.StopAsync();
        }

        return (prefix, events);
    }

    private static async Task IngestAsync(
        AnalyticsStoreArguments arguments, Dictionary<string, string?> settings, string prefix, List<ICallEvent> events)
    {
        // The clock starts once the consumer is connected (StartServiceAsync waited for it) and the queue is full.
        var clock = Stopwatch.StartNew();
        // Messages are consumed concurrently and committed in batches, so any event may be the last one stored: count them.
        while (await StoredEventsAsync(arguments, settings, prefix) < events.Count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the service did not store every event within 5 minutes");
            }

            await Task.Delay(20);
        }

        var stored = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT ingest provider={arguments.Provider} events={events.Count} calls={arguments.IngestCalls} "
            + $"stored_s={stored.TotalSeconds:0.00} events_per_s={events.Count / stored.TotalSeconds:0} write_batch_size={arguments.WriteBatchSize} "
            + $"sqlite_synchronous={arguments.Synchronous} (queue filled first, then drained by the service)"));
    }

    private static async Task QueryAsync(WebApplication app, AnalyticsStoreArguments arguments, Dictionary<string, string?> settings)
    {
        var store = app.Services.GetRequiredService<EventStore>();
        var seed = Stopwatch.StartNew();
        var prefix = "stored-" + Guid.NewGuid().ToString("N")[..8];
        var toSeed = arguments.StoredCalls - arguments.IngestCalls;
        // Spread over the last 30 days, as the trends would see them.
        var now = DateTimeOffset.UtcNow;
        for (var first = 0; first < toSeed; first += SeedBatchCalls)
        {
            var batch = Enumerable.Range(first, Math.Min(SeedBatchCalls, toSeed - first))
                .SelectMany(n => BenchCalls.Call(prefix, n, now.AddDays(-30).AddSeconds(n * (30.0 * 86400 / toSeed))))
                .Select(e => new StoredEvent(e.EventId, e.CallId, e.Sequence, e.GetType().Name, e.Timestamp, JsonSerializer.Serialize(e, e.GetType(), WebJson)))
                .ToList();
            await store.AppendBatchAsync(batch);
        }

        if (arguments.Provider == StoreProvider.Postgres)
        {
            // What autovacuum does within a minute or so of a bulk load: statistics for the planner, and a visibility
            // map so that COUNT(*) can read the index alone. Without it the first queries read every heap page.
            await using var connection = new NpgsqlConnection(settings["Analytics:Store:PostgresConnectionString"]);
            await connection.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE calls", connection);
            await vacuum.ExecuteNonQueryAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT seeded provider={arguments.Provider} calls={toSeed} events={toSeed * BenchCalls.EventsPerCall} seconds={seed.Elapsed.TotalSeconds:0.0} (batches of {SeedBatchCalls} calls{(arguments.Provider == StoreProvider.Postgres ? ", then VACUUM ANALYZE calls" : "")})"));

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var total = (await app.Services.GetRequiredService<StoreQueries>().CallsAsync(new CallQuery(PageSize: 1))).Total;
        var detailId = $"{prefix}-{toSeed / 2}";
        await TimeAsync(http, arguments, total, "call_list_page1", "/api/calls");
        await TimeAsync(http, arguments, total, "call_list_filtered", "/api/calls?outcome=transferred&has=sigh&frustrationAbove=0.5&emotion=Angry");
        await TimeAsync(http, arguments, total, "call_list_page500", "/api/calls?page=500&pageSize=50");
        await TimeAsync(http, arguments, total, "call_detail", "/api/calls/" + detailId);
        await TimeAsync(http, arguments, total, "trends_30_days_per_day", $"/api/trends?bucket=day&from={Uri.EscapeDataString(now.AddDays(-30).ToString("O"))}");
    }

    private static async Task TimeAsync(HttpClient http, AnalyticsStoreArguments arguments, long stored, string name, string path)
    {
        var samples = new List<double>();
        for (var i = 0; i < QueryRepeats + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            clock.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
            }

            if (i >= 3)
            {
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT query provider={arguments.Provider} stored_calls={stored} {name} p50_ms={samples[samples.Count / 2]:0.0} "
            + $"p95_ms={samples[(int)(samples.Count * 0.95)]:0.0} ({QueryRepeats} requests over HTTP: {path})"));
    }

    /// <summary>Rows of call_events of the benchmark's calls, read straight from the database the service writes.</summary>
    private static async Task<long> StoredEventsAsync(AnalyticsStoreArguments arguments, Dictionary<string, string?> settings, string prefix)
    {
        await using System.Data.Common.DbConnection connection = arguments.Provider == StoreProvider.Postgres
            ? new NpgsqlConnection(settings["Analytics:Store:PostgresConnectionString"])
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={settings["Analytics:Store:SqlitePath"]};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Only this run's calls: events other work publishes meanwhile reach this queue too.
        command.CommandText = "SELECT COUNT(*) FROM call_events WHERE call_id LIKE @prefix";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "prefix";
        parameter.Value = prefix + "-%";
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task DeleteQueueAsync(string queue)
    {
        var options = new RabbitMqOptions();
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { HostName = options.Host, Port = options.Port }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    }

    private static async Task DropDatabaseAsync(string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 60)
            {
                // An autovacuum worker (started by the bulk load) is connected; FORCE may not end a superuser's
                // backend, so wait for it to finish.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
