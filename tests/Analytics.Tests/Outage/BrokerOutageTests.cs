using System.Diagnostics;
using System.Globalization;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>
/// Events published while the broker goes away and comes back, against a private RabbitMQ node: every one
/// arrives exactly once after de-duplication on EventId, each call in sequence order, and the disk outbox
/// held them meanwhile and drained afterwards.
/// </summary>
[Collection(PrivateBrokerTestGroup.Name)]
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    private const int Calls = 20;
    private const int EventsPerCall = 50;
    private static readonly TimeSpan PublishRoundInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    /// <summary>"app": rabbitmqctl stop_app/start_app (connections drop, node stays); "node": the whole node halts and restarts.</summary>
    [Theory]
    [InlineData("app")]
    [InlineData("node")]
    public async Task Events_published_across_a_broker_stop_and_start_all_arrive_once_in_order_per_call(string restart)
    {
        await using var node = await PrivateRabbitMqNode.StartAsync();
        await using var recorder = await DurableEventRecorder.StartAsync(node.Port, "outage-consumer");
        await using var host = new PublisherHost(node.Port);
        await host.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var calls = Enumerable.Range(0, Calls)
            .Select(i => CallEvents.OneCall($"call-outage-{run}-{i:D2}", speechSegments: EventsPerCall - 2))
            .ToList();
        var sent = calls.SelectMany(c => c).ToList();

        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakAsync(host, sampling.Token);
        var publishing = RoundRobinPublishing.PublishAsync(host, calls, EventsPerCall, PublishRoundInterval);

        // Down for a while in the middle of publishing, so events are queued both before and during the outage.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await (restart == "node" ? node.StopNodeAsync() : node.StopAppAsync());
        await Task.Delay(Outage);
        await (restart == "node" ? node.StartNodeAsync() : node.StartAppAsync());
        var backAt = Stopwatch.GetTimestamp();
        await publishing;

        // How fast it drains is a figure (printed below), not a pass mark: the wait only bounds a publisher that never reconnects.
        await Eventually.TrueAsync(() => host.QueueDepth == 0, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(20));
        var drained = Stopwatch.GetElapsedTime(backAt);
        await Eventually.TrueAsync(() => recorder.DistinctEvents >= sent.Count, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        await sampling.CancelAsync();
        var (peakEvents, peakBytes) = await peak;

        var deliveries = recorder.Deliveries;
        var firstDeliveries = deliveries.DistinctBy(e => e.EventId).ToList();
        Assert.Equal(sent.Select(e => e.EventId).Order(), firstDeliveries.Select(e => e.EventId).Order());
        foreach (var call in calls)
        {
            Assert.Equal(
                call.Select(e => e.Sequence),
                firstDeliveries.Where(e => e.CallId == call[0].CallId).Select(e => e.Sequence));
        }

        Assert.True(peakEvents > 0, "the outbox never held an event: the broker outage did not reach the publisher");
        Assert.Equal(0, host.QueueDepth);
        Assert.Equal(0L, host.OutboxHeldBytes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{restart} restart: outbox held {peakEvents} events ({peakBytes} bytes) at peak, drained in {drained.TotalSeconds:F1} s "
            + $"after the broker came back; {sent.Count} events sent, {deliveries.Count} deliveries, "
            + $"{deliveries.Count - firstDeliveries.Count} duplicates dropped by EventId"));
    }

    private static async Task<(int Events, long Bytes)> SamplePeakAsync(PublisherHost host, CancellationToken stop)
    {
        var (events, bytes) = (0, 0L);
        while (!stop.IsCancellationRequested)
        {
            events = Math.Max(events, host.QueueDepth);
            bytes = Math.Max(bytes, host.OutboxHeldBytes);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (events, bytes);
    }
}
