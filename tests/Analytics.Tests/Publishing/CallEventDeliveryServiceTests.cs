using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Configuration;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Publishing;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Publishing;

/// <summary>The publisher and its delivery service against the real RabbitMQ (scripts/start-rabbitmq.sh).</summary>
[Collection(SharedBrokerTests.Name)]
public sealed class CallEventDeliveryServiceTests
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Delivers_a_calls_events_in_order_with_all_fields_and_EventId_as_MessageId()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var sink = await ReceivedEventSink.StartAsync(RabbitMqBroker.UniqueQueueName("order"));
        await using var host = new PublisherHost(RabbitMqBroker.Port, PublisherHost.BrokerUp);
        await host.StartAsync();
        var sent = CallEvents.OneCall("call-order-" + Guid.NewGuid().ToString("N"));

        foreach (var callEvent in sent)
        {
            Assert.True(host.Publisher.TryPublish(callEvent));
        }

        var received = await sink.ReceiveAsync(sent[0].CallId, sent.Count, ReceiveTimeout);
        Assert.Equal(sent, received.Select(r => r.Message)); // record equality: every field, in order
        Assert.Equal(sent.Select(e => (Guid?)e.EventId), received.Select(r => r.MessageId));
        Assert.Contains("urn:message:StepAudio.Telephony.Analytics.Contracts.V1:CallStarted", received[0].MessageTypes);
        Assert.Contains("urn:message:StepAudio.Telephony.Analytics.Contracts.V1:CallEnded", received[^1].MessageTypes);

        await host.StopAsync();
        Assert.Equal(0, host.UndeliveredAtShutdown);
    }

    [Fact]
    public async Task Many_interleaved_calls_each_arrive_in_sequence_order_with_a_small_window()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var sink = await ReceivedEventSink.StartAsync(RabbitMqBroker.UniqueQueueName("window"));
        // A window smaller than the number of calls makes windows split calls, the case that could reorder.
        await using var host = new PublisherHost(RabbitMqBroker.Port, p =>
        {
            PublisherHost.BrokerUp(p);
            p.MaxInFlight = 7;
        });
        await host.StartAsync();
        var run = Guid.NewGuid().ToString("N");
        var calls = Enumerable.Range(0, 30).Select(i => CallEvents.OneCall($"call-window-{run}-{i}", speechSegments: 4)).ToList();

        // Round-robin across calls, as concurrent calls would interleave on the queue.
        for (var position = 0; position < calls[0].Count; position++)
        {
            foreach (var call in calls)
            {
                Assert.True(host.Publisher.TryPublish(call[position]));
            }
        }

        var prefix = $"call-window-{run}-";
        var received = await sink.ReceiveAsync(
            r => r.Message.CallId.StartsWith(prefix, StringComparison.Ordinal), calls.Sum(c => c.Count), ReceiveTimeout);
        foreach (var call in calls)
        {
            Assert.Equal(call, received.Select(r => r.Message).Where(e => e.CallId == call[0].CallId));
        }

        await host.StopAsync();
        Assert.Equal(0, host.UndeliveredAtShutdown);
    }

    [Fact]
    public async Task With_the_broker_down_TryPublish_returns_at_once_and_shutdown_reports_the_undelivered_event()
    {
        await using var host = new PublisherHost(FreePort.Tcp());
        await host.StartAsync();

        Assert.True(host.Publisher.TryPublish(CallEvents.OneCall("call-down")[0]));

        await WaitUntilAsync(() => host.Logs.Entries.Any(e =>
            e.Level == LogLevel.Warning && e.Message.StartsWith("Cannot publish call events", StringComparison.Ordinal)));
        Assert.Equal(1, host.QueueDepth);

        await host.StopAsync();

        Assert.Equal(1, host.UndeliveredAtShutdown);
        Assert.Contains(host.Logs.Entries, e =>
            e.Level == LogLevel.Warning && e.Message.Contains("1 undelivered event(s)", StringComparison.Ordinal));
        // One warning for the outage, not one per retry.
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith("Cannot publish call events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_queued_while_the_broker_is_down_are_delivered_in_order_once_it_is_back()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var sink = await ReceivedEventSink.StartAsync(RabbitMqBroker.UniqueQueueName("outage"));
        var port = FreePort.Tcp();
        await using var host = new PublisherHost(port);
        await host.StartAsync();
        var sent = CallEvents.OneCall("call-outage-" + Guid.NewGuid().ToString("N"), speechSegments: 3);

        foreach (var callEvent in sent)
        {
            Assert.True(host.Publisher.TryPublish(callEvent));
        }

        await WaitUntilAsync(() => host.Logs.Entries.Any(e => e.Message.StartsWith("Cannot publish", StringComparison.Ordinal)));
        Assert.Equal(sent.Count, host.QueueDepth);

        // The "broker comes back": the publisher's port now leads to the real broker.
        await using var forwarder = TcpForwarder.Start(port, RabbitMqBroker.Port);

        var received = await sink.ReceiveAsync(sent[0].CallId, sent.Count, TimeSpan.FromSeconds(60), dropDuplicates: true);
        Assert.Equal(sent, received.Select(r => r.Message));
        await WaitUntilAsync(() => host.Logs.Entries.Any(e =>
            e.Level == LogLevel.Information && e.Message.StartsWith("Call event delivery resumed", StringComparison.Ordinal)));
        await WaitUntilAsync(() => host.QueueDepth == 0);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
}
