using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Topology;
using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A consumer on the real RabbitMQ with its own auto-deleted queue, bound to the gateway's event exchanges:
/// it sees exactly what an analyst's consumer would see.
/// </summary>
internal sealed class EventCollector : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<ICallEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private EventCollector(ServiceProvider services)
    {
        _services = services;
        _bus = services.GetRequiredService<IBusControl>();
    }

    public static async Task<EventCollector> StartAsync()
    {
        EventCollector? collector = null;
        var services = new ServiceCollection();
        services.AddSingleton<Action<ICallEvent>>(e => collector!.Add(e));
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.AddConsumer<Sink<CallStarted>>();
            x.AddConsumer<Sink<SpeechSegmentDetected>>();
            x.AddConsumer<Sink<CallEnded>>();
            x.AddConsumer<Sink<DtmfReceived>>();
            x.AddConsumer<Sink<EmotionDetected>>();
            x.AddConsumer<Sink<VocalEventDetected>>();
            x.AddConsumer<Sink<FrustrationChanged>>();
            x.AddConsumer<Sink<BargeInDetected>>();
            x.AddConsumer<Sink<CallTransferred>>();
            x.AddConsumer<Sink<ConversationTurn>>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseBroker(new RabbitMqOptions { Host = "127.0.0.1", Port = 5672 });
                Analytics.Topology.EventTopology.Configure(cfg);
                cfg.ReceiveEndpoint("stepaudio-e2e-" + Guid.NewGuid().ToString("N"), e =>
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                    e.ConfigureConsumer<Sink<CallStarted>>(context);
                    e.ConfigureConsumer<Sink<SpeechSegmentDetected>>(context);
                    e.ConfigureConsumer<Sink<CallEnded>>(context);
                    e.ConfigureConsumer<Sink<DtmfReceived>>(context);
                    e.ConfigureConsumer<Sink<EmotionDetected>>(context);
                    e.ConfigureConsumer<Sink<VocalEventDetected>>(context);
                    e.ConfigureConsumer<Sink<FrustrationChanged>>(context);
                    e.ConfigureConsumer<Sink<BargeInDetected>>(context);
                    e.ConfigureConsumer<Sink<CallTransferred>>(context);
                    e.ConfigureConsumer<Sink<ConversationTurn>>(context);
                });
            });
        });
        var provider = services.BuildServiceProvider();
        collector = new EventCollector(provider);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await collector._bus.StartAsync(cts.Token);
        }
        catch (OperationCanceledException ex)
        {
            await provider.DisposeAsync();
            throw new InvalidOperationException("RabbitMQ not reachable on 127.0.0.1:5672; run scripts/start-rabbitmq.sh", ex);
        }

        return collector;
    }

    /// <summary>
    /// The calls answered by the gateway on <paramref name="sipPort"/>, each as its events in sequence order.
    /// Other gateways may publish to the same broker at the same time (a developer's demo, another test
    /// run), so a test only ever looks at calls addressed to its own gateway.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ICallEvent>> CallsTo(int sipPort)
    {
        var suffix = ":" + sipPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _events
            .GroupBy(e => e.CallId)
            .Where(g => g.OfType<CallStarted>().Any(s => s.To.EndsWith(suffix, StringComparison.Ordinal)))
            .Select(g => (IReadOnlyList<ICallEvent>)g.OrderBy(e => e.Sequence).ToList())
            .ToList();
    }

    /// <summary>How many calls to <paramref name="sipPort"/> have ended so far.</summary>
    public int EndedCalls(int sipPort) => CallsTo(sipPort).Count(c => c[^1] is CallEnded);

    /// <summary>
    /// Waits until <paramref name="count"/> calls to <paramref name="sipPort"/> have ended and returns them, each
    /// complete: the receive endpoint consumes several messages at once, so an event the gateway published just before
    /// CallEnded can be handed over just after it. A call is complete when it holds every sequence number up to its
    /// CallEnded's; one still missing an event after <see cref="CompletionGrace"/> is returned as it is, for the test's
    /// own assertions to name what is missing.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<ICallEvent>>> WaitForEndedCallsAsync(int sipPort, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (EndedCalls(sipPort) < count)
        {
            if (!await WaitForArrivalAsync(cts.Token))
            {
                throw new TimeoutException(
                    $"Expected {count} ended calls to port {sipPort} within {timeout.TotalSeconds} s; saw: " +
                    string.Join(", ", _events.Select(e => e.GetType().Name)));
            }
        }

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        grace.CancelAfter(CompletionGrace);
        while (Ended(sipPort).Count(IsComplete) < count && await WaitForArrivalAsync(grace.Token))
        {
        }

        return Ended(sipPort);
    }

    /// <summary>How long an ended call may wait for an event handed over after its CallEnded.</summary>
    private static TimeSpan CompletionGrace => TimeSpan.FromSeconds(5);

    private static bool IsComplete(IReadOnlyList<ICallEvent> call) => call.Count == call[^1].Sequence;

    private List<IReadOnlyList<ICallEvent>> Ended(int sipPort) => CallsTo(sipPort).Where(c => c[^1] is CallEnded).ToList();

    private async Task<bool> WaitForArrivalAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _arrived.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _services.DisposeAsync();
        _arrived.Dispose();
    }

    private void Add(ICallEvent callEvent)
    {
        _events.Enqueue(callEvent);
        _arrived.Release();
    }

    private sealed class Sink<T>(Action<ICallEvent> add) : IConsumer<T>
        where T : class, ICallEvent
    {
        public Task Consume(ConsumeContext<T> context)
        {
            add(context.Message);
            return Task.CompletedTask;
        }
    }
}
