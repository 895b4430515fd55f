using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.DependencyInjection;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Tests.Infrastructure;

/// <summary>
/// A host wired like the gateway's: AddCallEventPublishing against a chosen broker port, with its disk outbox in
/// <paramref name="outboxDirectory"/> or, when none is given, in a private temporary folder deleted on dispose.
/// </summary>
internal sealed class PublisherHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string? _ownOutboxDirectory;
    private bool _stopped;

    /// <param name="clusterNodes">RabbitMq:Nodes (host:port), for a publisher that fails over within a cluster.</param>
    public PublisherHost(int brokerPort, Action<EventPublishingOptions>? configure = null, string? outboxDirectory = null, IReadOnlyList<string>? clusterNodes = null)
    {
        if (outboxDirectory is null)
        {
            _ownOutboxDirectory = Directory.CreateTempSubdirectory("stepaudio-outbox-").FullName;
            outboxDirectory = _ownOutboxDirectory;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(logging => logging.AddProvider(Logs));
        builder.Services.AddCallEventPublishing(
            rabbitMq =>
            {
                rabbitMq.Port = checked((ushort)brokerPort);
                foreach (var node in clusterNodes ?? [])
                {
                    rabbitMq.Nodes.Add(node);
                }
            },
            publishing =>
            {
                // Short waits so a broker-down test spends seconds, not the production defaults.
                publishing.PublishTimeout = TimeSpan.FromSeconds(1);
                publishing.RetryBackoffBase = TimeSpan.FromMilliseconds(50);
                publishing.RetryBackoffMax = TimeSpan.FromMilliseconds(500);
                publishing.DrainTimeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(publishing);
            },
            outbox => outbox.Directory = outboxDirectory);
        _host = builder.Build();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>
    /// With the broker up, the test host's short bounds are not under test: a confirm slower than its 1 s publish
    /// timeout on a loaded machine would re-send an event (a duplicate where each is counted once: CI saw the event
    /// printer print four lines for three events), and one still unconfirmed after the 2 s drain would count as
    /// undelivered at shutdown.
    /// </summary>
    public static void BrokerUp(EventPublishingOptions publishing)
    {
        publishing.PublishTimeout = TimeSpan.FromSeconds(20);
        publishing.DrainTimeout = TimeSpan.FromSeconds(30);
    }

    public ICallEventPublisher Publisher => _host.Services.GetRequiredService<ICallEventPublisher>();

    public int QueueDepth => _host.Services.GetRequiredService<ICallEventQueue>().Count;

    /// <summary>Bytes of undelivered events in the disk outbox.</summary>
    public long OutboxHeldBytes => ((DiskCallEventQueue)_host.Services.GetRequiredService<ICallEventQueue>()).HeldBytes;

    public int UndeliveredAtShutdown => _host.Services.GetRequiredService<CallEventDeliveryService>().UndeliveredAtShutdown;

    public async Task StartAsync()
    {
        // Guard against a hang only; the gateway must start without waiting for the broker.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StartAsync(guard.Token);
    }

    public async Task StopAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(guard.Token);
        _stopped = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        _host.Dispose();
        if (_ownOutboxDirectory is not null)
        {
            Directory.Delete(_ownOutboxDirectory, recursive: true);
        }
    }
}
