using System.Net;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Consuming;

/// <summary>Service instances sharing the real PostgreSQL and consuming the real RabbitMQ.</summary>
public sealed class SharedPostgresTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_instances_on_one_queue_and_one_database_store_every_event_once_and_report_the_same_numbers()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var database = await LocalPostgres.CreateDatabaseAsync();
        var queue = RabbitMqBroker.UniqueQueueName("shared");
        var flow = "shared-" + Guid.NewGuid().ToString("N");
        // Both consume one queue (competing consumers), so events of one call are written by both instances at once.
        // A durable queue, as in production.
        var settings = database.ServiceSettings();
        settings["Analytics:TransientQueue"] = "false";
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        try
        {
            await using var a = await RunningService.StartAsync(queue, settings);
            await using var b = await RunningService.StartAsync(queue, settings);
            await Eventually.TrueAsync(() => a.ConsumerReady && b.ConsumerReady, TimeSpan.FromSeconds(30));
            var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
            var events = new List<ICallEvent>();
            const int calls = 40;
            for (var i = 0; i < calls; i++)
            {
                var call = new Events($"{flow}-{i}", hour.AddSeconds(i));
                events.AddRange(
                [
                    call.Started(flow), call.Emotion(i % 2 == 0 ? "Angry" : "Happy", 0.8), call.Frustration(i / (double)calls, "elevated"),
                    call.Vocal("Sigh"), call.Ended(30 + i, i % 4 == 0 ? "abandoned" : "completed", flow: flow),
                ]);
            }

            await BrokerConsumptionTests.PublishAsync(publisher, [.. events]);
            // Redelivered copies, as after a publisher retry, must not count twice whichever instance gets them.
            await BrokerConsumptionTests.PublishAsync(publisher, [.. events.Take(50)]);

            // The two instances consume concurrently, so a call's CallEnded may be stored before its other events: wait
            // until every call has all five (a lost update between the instances would make this time out).
            var everything = new CallQuery(Flow: flow, PageSize: 100);
            await Eventually.TrueAsync(
                () => b.Queries.CallsAsync(everything).Result is { Total: calls } page && page.Calls.All(c => c.Events == 5),
                Patience, TimeSpan.FromMilliseconds(200));
            var query = new TrendQuery(hour, null, flow, TimeSpan.FromHours(1), TimeSpan.Zero);
            var fromA = Assert.Single(await a.Queries.AggregatesAsync(query));
            var fromB = Assert.Single(await b.Queries.AggregatesAsync(query));
            Assert.Equal(fromA, fromB);
            Assert.Equal((40L, 40L, 30L, 10L, 40L), (fromA.CallsStarted, fromA.CallsEnded, fromA.Outcomes.Completed, fromA.Outcomes.Abandoned, fromA.Sighs));

            // Every call's summary was folded from all five of its events, though two instances wrote them.
            var stored = await a.Queries.CallsAsync(everything);
            Assert.Equal(calls, stored.Total);
            Assert.All(stored.Calls, c =>
            {
                var i = int.Parse(c.CallId[(flow.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal((5, 1, 1, i / (double)calls), (c.Events, c.Turns, c.Sighs, c.PeakFrustration));
            });
            Assert.Equal(20, (await a.Queries.CallsAsync(new CallQuery(Flow: flow, Emotion: "Angry"))).Total);
        }
        finally
        {
            await publisher.StopAsync();
            await RawAmqp.DeleteQueueAsync(queue);
        }
    }

    [Fact]
    public async Task While_the_database_is_down_events_stay_on_the_queue_and_all_are_stored_once_it_is_back()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var database = await LocalPostgres.CreateDatabaseAsync();
        var flow = "outage-" + Guid.NewGuid().ToString("N");
        await using var service = await RunningService.StartAsync(RabbitMqBroker.UniqueQueueName("outage"), database.ServiceSettings());
        await Eventually.TrueAsync(() => service.ConsumerReady, TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = service.Address };
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        try
        {
            var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
            var before = new Events($"{flow}-before", hour.AddMinutes(1));
            await BrokerConsumptionTests.PublishAsync(publisher, before.Started(flow));
            await Eventually.TrueAsync(() => service.Queries.CallAsync(before.CallId).Result is not null, Patience);

            await database.BlockAsync();
            var during = new List<Events>();
            for (var i = 0; i < 10; i++)
            {
                var call = new Events($"{flow}-during-{i}", hour.AddMinutes(2));
                during.Add(call);
                await BrokerConsumptionTests.PublishAsync(publisher, call.Started(flow), call.Ended(10, flow: flow));
            }

            // The service answers, and says why it cannot search.
            await Eventually.TrueAsync(
                () => http.GetAsync(new Uri($"/api/calls?flow={flow}", UriKind.Relative)).Result.StatusCode == HttpStatusCode.ServiceUnavailable,
                Patience, TimeSpan.FromMilliseconds(200));
            // Give the consumer time to try, and fail, several times; nothing may be acknowledged meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await database.UnblockAsync();

            await Eventually.TrueAsync(
                () => service.Queries.CallsAsync(new CallQuery(Flow: flow, Outcome: "completed")).Result.Total == 10,
                Patience, TimeSpan.FromMilliseconds(200));
            var page = await service.Queries.CallsAsync(new CallQuery(Flow: flow, PageSize: 100));
            Assert.Equal(11, page.Total);
            Assert.All(page.Calls.Where(c => c.CallId != before.CallId), c => Assert.Equal((2, "completed"), (c.Events, c.Outcome)));
        }
        finally
        {
            await publisher.StopAsync();
        }
    }
}
