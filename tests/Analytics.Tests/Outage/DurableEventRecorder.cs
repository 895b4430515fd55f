using StepAudio.Telephony.Analytics.Configuration;
using System.Collections.Concurrent;
using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>
/// A consumer with a durable queue, so events routed while it is disconnected wait for it, that records every
/// delivery in arrival order, duplicates included: de-duplication is the test's to check, as a real consumer's.
/// </summary>
internal sealed class DurableEventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<ICallEvent> _deliveries = new();
    private readonly IBusControl _bus;

    private DurableEventRecorder(int port, string queueName, IReadOnlyList<string>? clusterNodes)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var broker = new RabbitMqOptions { Host = "127.0.0.1", Port = checked((ushort)port) };
            foreach (var node in clusterNodes ?? [])
            {
                broker.Nodes.Add(node);
            }

            cfg.UseBroker(broker);
            EventTopology.Configure(cfg);
            cfg.ReceiveEndpoint(queueName, e =>
            {
                e.Durable = true;
                e.AutoDelete = false;
                if (clusterNodes is not null)
                {
                    // In a cluster the queue must outlive the node it was declared on, as the analytics service's does.
                    e.SetQuorumQueue();
                }

                // One at a time, so arrival order is the queue's order and per-call order can be checked.
                e.ConcurrentMessageLimit = 1;
                e.PrefetchCount = 32;
                e.Handler<CallStarted>(Record);
                e.Handler<SpeechSegmentDetected>(Record);
                e.Handler<CallEnded>(Record);
            });
        });
    }

    /// <summary>Every delivery so far, in arrival order.</summary>
    public IReadOnlyList<ICallEvent> Deliveries => [.. _deliveries];

    public int DistinctEvents => _deliveries.Select(e => e.EventId).Distinct().Count();

    /// <param name="clusterNodes">Nodes of a cluster (host:port) to fail over between; the queue is then a quorum queue.</param>
    public static async Task<DurableEventRecorder> StartAsync(int port, string queueName, IReadOnlyList<string>? clusterNodes = null)
    {
        var recorder = new DurableEventRecorder(port, queueName, clusterNodes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await recorder._bus.StartAsync(timeout.Token);
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StopAsync(timeout.Token);
    }

    private Task Record<T>(ConsumeContext<T> context)
        where T : class, ICallEvent
    {
        _deliveries.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
