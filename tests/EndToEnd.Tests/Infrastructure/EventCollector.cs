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
            x.AddConsumer<Sink<CallStarted>>();
            x.AddConsumer<Sink<SpeechSegmentDetected>>();
            x.AddConsumer<Sink<CallEnded>>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host("127.0.0.1", 5672, "/", h =>
                {
                    h.Username("guest");
                    h.Password("guest");
                });
                Analytics.Topology.EventTopology.Configure(cfg);
                cfg.ReceiveEndpoint("stepaudio-e2e-" + Guid.NewGuid().ToString("N"), e =>
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                    e.ConfigureConsumer<Sink<CallStarted>>(context);
                    e.ConfigureConsumer<Sink<SpeechSegmentDetected>>(context);
                    e.ConfigureConsumer<Sink<CallEnded>>(context);
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

    /// <summary>Waits until <paramref name="count"/> calls have ended and returns every event seen, grouped by call.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<ICallEvent>>> WaitForEndedCallsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (_events.OfType<CallEnded>().Count() < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Expected {count} CallEnded events within {timeout.TotalSeconds} s; saw: " +
                    string.Join(", ", _events.Select(e => e.GetType().Name)));
            }
        }

        return _events
            .GroupBy(e => e.CallId)
            .Select(g => (IReadOnlyList<ICallEvent>)g.OrderBy(e => e.Sequence).ToList())
            .ToList();
    }

    public IReadOnlyList<ICallEvent> Snapshot() => _events.ToArray();

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
