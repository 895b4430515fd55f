using StepAudio.Telephony.Analytics.Configuration;
using System.Collections.Concurrent;
using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Benchmarks.EventLoad;

/// <summary>
/// An independent consumer on an auto-delete queue, bound to the event exchanges by their wire names. It records
/// when each event arrived, drops duplicates by MessageId (as real consumers must) and checks per-call order.
/// </summary>
internal sealed class LoadConsumer : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly string _runId;
    private readonly ConcurrentDictionary<Guid, byte> _seen = new();
    private readonly ConcurrentDictionary<string, long> _lastSequence = new();
    private readonly ConcurrentQueue<double> _delaysMs = new();
    private long _received;
    private long _duplicates;
    private long _outOfOrder;
    private long _recordFrom = long.MaxValue;

    private LoadConsumer(string host, ushort port, string runId)
    {
        _runId = runId;
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.UseBroker(new RabbitMqOptions { Host = host, Port = port });
            cfg.ReceiveEndpoint($"event-load-{runId}", e =>
            {
                e.Durable = false;
                e.AutoDelete = true;
                // One handler at a time keeps the queue's order, so per-call order can be checked on arrival.
                e.PrefetchCount = 200;
                e.ConcurrentMessageLimit = 1;
                e.ConfigureConsumeTopology = false;
                e.Bind(EventTopology.CallStartedExchange);
                e.Bind(EventTopology.SpeechSegmentDetectedExchange);
                e.Bind(EventTopology.CallEndedExchange);
                e.Handler<CallStarted>(Record);
                e.Handler<SpeechSegmentDetected>(Record);
                e.Handler<CallEnded>(Record);
            });
        });
    }

    /// <summary>Distinct events of this run received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public static async Task<LoadConsumer> StartAsync(string host, ushort port, string runId)
    {
        var consumer = new LoadConsumer(host, port, runId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await consumer._bus.StartAsync(timeout.Token);
        return consumer;
    }

    /// <summary>
    /// Keeps delays only for events received after the first <paramref name="receivedCount"/>: the fixed-rate phase,
    /// whose delays are not inflated by the burst's queueing.
    /// </summary>
    public void RecordDelaysFrom(long receivedCount) => Interlocked.Exchange(ref _recordFrom, receivedCount);

    public double[] SortedDelaysMs()
    {
        var delays = _delaysMs.ToArray();
        Array.Sort(delays);
        return delays;
    }

    public async Task WaitForAsync(long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StopAsync(timeout.Token);
    }

    private Task Record<T>(ConsumeContext<T> context)
        where T : class, ICallEvent
    {
        var now = DateTimeOffset.UtcNow;
        var message = context.Message;
        if (!message.CallId.StartsWith(_runId, StringComparison.Ordinal))
        {
            return Task.CompletedTask; // another run or process publishing to the same exchanges
        }

        if (!_seen.TryAdd(context.MessageId ?? message.EventId, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return Task.CompletedTask;
        }

        var previous = _lastSequence.GetValueOrDefault(message.CallId);
        if (message.Sequence != previous + 1)
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        _lastSequence[message.CallId] = message.Sequence;
        if (Interlocked.Increment(ref _received) > Interlocked.Read(ref _recordFrom))
        {
            _delaysMs.Enqueue((now - message.Timestamp).TotalMilliseconds);
        }

        return Task.CompletedTask;
    }
}
