using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Live;

namespace StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

/// <summary>The real service (Kestrel and all) on an OS-chosen loopback port.</summary>
internal sealed class RunningService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public CallAggregator Aggregator => _app.Services.GetRequiredService<CallAggregator>();

    public LiveUpdateHub Hub => _app.Services.GetRequiredService<LiveUpdateHub>();

    /// <summary>Whether the bus and its receive endpoint are connected (only when started with a queue).</summary>
    public bool ConsumerReady =>
        _app.Services.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy;

    /// <summary>Starts the service; without <paramref name="queueName"/> it does not connect to RabbitMQ.</summary>
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
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = AnalyticsServiceHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(guard.Token);
        // Kestrel replaces port 0 with the port the OS chose once it listens.
        var address = new Uri(app.Urls.Single());
        Assert.NotEqual(0, address.Port);
        return new RunningService(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(guard.Token);
        await _app.DisposeAsync();
    }
}
