using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Ingestion;
using StepAudio.Telephony.Analytics.Service.Live;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>The real service (Kestrel and all) on an OS-chosen loopback port.</summary>
internal sealed class RunningService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _storeFolder;

    private RunningService(WebApplication app, Uri address, TempDirectory? storeFolder)
    {
        _app = app;
        Address = address;
        _storeFolder = storeFolder;
    }

    public Uri Address { get; }

    public CallEventIngestor Ingestor => _app.Services.GetRequiredService<CallEventIngestor>();

    public StoreQueries Queries => _app.Services.GetRequiredService<StoreQueries>();

    /// <summary>Broker deliveries this instance's consumers finished, per message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public LiveUpdateHub Hub => _app.Services.GetRequiredService<LiveUpdateHub>();

    /// <summary>Whether the bus and its receive endpoint are connected (only when started with a queue).</summary>
    public bool ConsumerReady =>
        _app.Services.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy;

    /// <summary>
    /// Starts the service; without <paramref name="queueName"/> it does not connect to RabbitMQ. Unless
    /// <paramref name="overrides"/> choose a store, it gets a SQLite file of its own in a temporary folder.
    /// </summary>
    public static async Task<RunningService> StartAsync(
        string? queueName = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Analytics:Http:Urls"] = "http://127.0.0.1:0",
            ["Analytics:ConsumeFromBroker"] = (queueName is not null).ToString(),
            ["Analytics:QueueName"] = queueName,
            ["Analytics:TransientQueue"] = "true",
            ["Analytics:StreamCoalesceInterval"] = "00:00:00.050",
        };
        overrides ??= new Dictionary<string, string?>();
        TempDirectory? storeFolder = null;
        if (!overrides.ContainsKey("Analytics:Store:SqlitePath") && !overrides.ContainsKey("Analytics:Store:Provider"))
        {
            storeFolder = new TempDirectory();
            // NORMAL: tests need crash safety, not power-cut safety, and the machine is shared.
            settings["Analytics:Store:SqlitePath"] = storeFolder.File("analytics.db");
            settings["Analytics:Store:SqliteSynchronous"] = "NORMAL";
        }

        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var app = AnalyticsServiceHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        // Only catches a start that hangs: a bus start on a loaded machine (load 15-28) was cancelled at 30 s.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await app.StartAsync(guard.Token);
        }
        catch
        {
            // Refused to start (a test of bad settings): leave nothing behind.
            await app.DisposeAsync();
            storeFolder?.Dispose();
            throw;
        }

        // Kestrel replaces port 0 with the port the OS chose once it listens.
        var address = new Uri(app.Urls.Single());
        Assert.NotEqual(0, address.Port);
        var service = new RunningService(app, address, storeFolder);
        if (queueName is not null)
        {
            app.Services.GetRequiredService<IBusControl>().ConnectConsumeObserver(service.Consumed);
        }

        return service;
    }

    public async ValueTask DisposeAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StopAsync(guard.Token);
        await _app.DisposeAsync();
        // Pooled SQLite connections keep the file open; release them before the folder is removed.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _storeFolder?.Dispose();
    }

    /// <summary>The calls in progress as /api/calls/active and the live page see them: from the store.</summary>
    public Task<IReadOnlyList<ActiveCallView>> ActiveCallsAsync() =>
        _app.Services.GetRequiredService<ActiveCallMonitor>().ActiveCallsAsync(CancellationToken.None);

    /// <summary>Feeds events the way the broker consumer does (store first, then the live view); each must be new.</summary>
    public async Task FeedAsync(params ICallEvent[] events)
    {
        foreach (var e in events)
        {
            Assert.Equal(AppendResult.Stored, await Ingestor.IngestAsync(e, e.EventId, null));
        }
    }
}
