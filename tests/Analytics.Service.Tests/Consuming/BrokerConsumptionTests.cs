using MassTransit;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Consuming;

/// <summary>Events published through the real RabbitMQ reach the service's queue and are applied exactly once.</summary>
public sealed class BrokerConsumptionTests
{
    [Fact]
    public async Task Every_event_type_arrives_through_the_broker_and_a_redelivered_message_id_is_counted_once()
    {
        await RabbitMqBroker.RequireReachableAsync();
        // Other suites publish to the same exchanges at the same time: this test only reads its own flow and calls.
        var flow = "flow-" + Guid.NewGuid().ToString("N");
        await using var service = await RunningService.StartAsync(RabbitMqBroker.UniqueQueueName("consume"));
        await Eventually.TrueAsync(() => service.ConsumerReady, TimeSpan.FromSeconds(30));
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        try
        {
            var hour = BucketKey.HourOf(DateTimeOffset.UtcNow);
            var call = new Events("broker-" + Guid.NewGuid().ToString("N"), hour.AddMinutes(1));
            var started = call.Started(flow);
            var emotion = call.Emotion("Sad", 0.7);
            var frustration = call.Frustration(0.4, "elevated");
            var vocal = call.Vocal("Laugh");
            var transferred = call.Transferred(flow);
            var ended = call.Ended(120, "transferred", 0.4, new Dictionary<string, int> { ["Laugh"] = 1 }, flow);

            await PublishAsync(publisher, started, emotion, frustration, vocal, transferred);
            await Eventually.TrueAsync(
                () => service.Aggregator.ActiveCalls().Any(c => c.CallId == call.CallId && c.VocalEvents.ContainsKey("Laugh")),
                TimeSpan.FromSeconds(30));
            var active = service.Aggregator.ActiveCalls().Single(c => c.CallId == call.CallId);
            Assert.Equal(("Sad", 0.4, flow), (active.Emotion, active.Frustration, active.Flow));

            // A publisher retry after a lost confirm sends the same message again with the same message id.
            var duplicatesBefore = service.Aggregator.DuplicatesDropped;
            await PublishAsync(publisher, started, ended, ended);
            await Eventually.TrueAsync(
                () => service.Aggregator.Aggregates(flow).SingleOrDefault()?.CallsEnded == 1
                    && service.Aggregator.DuplicatesDropped >= duplicatesBefore + 2,
                TimeSpan.FromSeconds(30));

            var row = Assert.Single(service.Aggregator.Aggregates(flow));
            Assert.Equal((1L, 1L, 1L, 1L, 1L), (row.CallsStarted, row.CallsEnded, row.Outcomes.Transferred, row.Transfers, row.Laughs));
            Assert.DoesNotContain(service.Aggregator.ActiveCalls(), c => c.CallId == call.CallId);
        }
        finally
        {
            await publisher.StopAsync();
        }
    }

    private static async Task PublishAsync(IBusControl bus, params ICallEvent[] events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var e in events)
        {
            // The concrete type picks the exchange; the gateway's publisher sets MessageId = EventId.
            await bus.Publish(e, e.GetType(), context => context.MessageId = e.EventId, timeout.Token);
        }
    }
}
