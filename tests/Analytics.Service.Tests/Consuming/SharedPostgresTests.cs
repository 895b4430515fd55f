using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Consuming;

/// <summary>Service instances sharing the real PostgreSQL and consuming the real RabbitMQ.</summary>
public sealed class SharedPostgresTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

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
            await Eventually.TrueAsync(() => a.ConsumerReady && b.ConsumerReady, TimeSpan.FromSeconds(120));
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
    public async Task Two_instances_on_one_queue_and_one_database_list_the_same_calls_in_progress_on_the_API_and_the_live_stream()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var database = await LocalPostgres.CreateDatabaseAsync();
        var queue = RabbitMqBroker.UniqueQueueName("shared-active");
        var flow = "active-" + Guid.NewGuid().ToString("N");
        var settings = database.ServiceSettings();
        settings["Analytics:ActiveCallRefreshInterval"] = "00:00:00.200";
        // A durable queue: a temporary one is exclusive to the first instance's connection.
        settings["Analytics:TransientQueue"] = "false";
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        try
        {
            await using var a = await RunningService.StartAsync(queue, settings);
            await using var b = await RunningService.StartAsync(queue, settings);
            await Eventually.TrueAsync(() => a.ConsumerReady && b.ConsumerReady, TimeSpan.FromSeconds(120));
            using var httpA = new HttpClient { BaseAddress = a.Address };
            using var httpB = new HttpClient { BaseAddress = b.Address };
            // B's page is open before any event: what it shows can only come from its stream.
            using var streamResponse = await httpB.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
            var events = new ServerSentEventReader(await streamResponse.Content.ReadAsStreamAsync());
            await events.ReadUntilAsync("snapshot", _ => true, TimeSpan.FromSeconds(30));

            var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
            var calls = Enumerable.Range(0, 10).Select(i => new Events($"{flow}-{i}", hour.AddSeconds(i))).ToList();
            var published = new List<ICallEvent>();
            foreach (var (call, i) in calls.Select((c, i) => (c, i)))
            {
                published.Add(call.Started(flow));
                published.Add(call.Emotion(i % 2 == 0 ? "Angry" : "Happy", 0.8));
                if (i < 4)
                {
                    published.Add(call.Ended(20, flow: flow));
                }
            }

            await BrokerConsumptionTests.PublishAsync(publisher, [.. published]);
            // Both consume the queue, so each stored only some of these events; both list all six calls still running.
            var running = calls.Skip(4).Select(c => c.CallId).ToList();
            async Task<List<string>> ActiveOf(HttpClient http) =>
                [.. (await http.GetFromJsonAsync<ActiveCallView[]>("/api/calls/active", WebJson))!
                    .Where(c => c.CallId.StartsWith(flow, StringComparison.Ordinal) && c.Emotion is not null).Select(c => c.CallId)];
            await Eventually.TrueAsync(async () => (await ActiveOf(httpA)).SequenceEqual(running) && (await ActiveOf(httpB)).SequenceEqual(running),
                Patience, TimeSpan.FromMilliseconds(200));
            // The broker hands deliveries to the two consumers in turn: each instance lists calls it saw only part of.
            Assert.Contains(published, e => a.Consumed.Count(e.EventId) == 1);
            Assert.Contains(published, e => b.Consumed.Count(e.EventId) == 1);

            // B's stream ends up showing each running call with its emotion, and none of the ended ones. An ended call
            // may be shown first (B read it between its start and its end) and taken off by a later "ended": read until
            // the stream settles on exactly the running calls; a stream that never does runs into the deadline.
            var shown = new Dictionary<string, string?>(StringComparer.Ordinal);
            using var deadline = new CancellationTokenSource(Patience);
            while (!running.All(id => shown.TryGetValue(id, out var emotion) && emotion is not null) || shown.Keys.Except(running).Any())
            {
                var next = await events.ReadAsync(deadline.Token);
                if (next.Name == "call" && JsonSerializer.Deserialize<ActiveCallView>(next.Data, WebJson) is { } call
                    && call.CallId.StartsWith(flow, StringComparison.Ordinal))
                {
                    shown[call.CallId] = call.Emotion;
                }
                else if (next.Name == "ended")
                {
                    shown.Remove(JsonDocument.Parse(next.Data).RootElement.GetProperty("callId").GetString()!);
                }
            }

            Assert.Empty(shown.Keys.Except(running));
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
        await Eventually.TrueAsync(() => service.ConsumerReady, TimeSpan.FromSeconds(120));
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

            // The messages are retried concurrently, so a call's CallEnded may be stored before its CallStarted: wait
            // for all twenty (a lost event would make this time out), then check nothing else was stored.
            await Eventually.TrueAsync(
                () => service.Queries.CallsAsync(new CallQuery(Flow: flow, Outcome: "completed")).Result.Calls.Sum(c => c.Events) == 20,
                Patience, TimeSpan.FromMilliseconds(200));
            var page = await service.Queries.CallsAsync(new CallQuery(Flow: flow, PageSize: 100));
            Assert.Equal(11, page.Total);
            Assert.All(page.Calls.Where(c => c.CallId != before.CallId), c => Assert.Equal((2, "completed", true), (c.Events, c.Outcome, c.StartSeen)));
        }
        finally
        {
            await publisher.StopAsync();
        }
    }

    [Fact]
    public async Task An_event_the_database_refuses_goes_to_the_error_queue_and_the_events_consumed_with_it_are_stored()
    {
        await RabbitMqBroker.RequireReachableAsync();
        await using var database = await LocalPostgres.CreateDatabaseAsync();
        var queue = RabbitMqBroker.UniqueQueueName("poison");
        var flow = "poison-" + Guid.NewGuid().ToString("N");
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        try
        {
            // A durable queue, so that its error queue is too (a temporary endpoint's is exclusive to the service).
            var settings = database.ServiceSettings();
            settings["Analytics:TransientQueue"] = "false";
            await using var service = await RunningService.StartAsync(queue, settings);
            await Eventually.TrueAsync(() => service.ConsumerReady, TimeSpan.FromSeconds(120));
            var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
            var calls = Enumerable.Range(0, 20).Select(i => new Events($"{flow}-{i}", hour.AddSeconds(i))).ToList();
            // PostgreSQL text cannot hold a NUL character (SQLSTATE 22021): this event can never be written, and must
            // neither block the queue (retried for ever) nor take the events committed in its batch down with it.
            var poison = new Events($"{flow}-nul\0", hour);
            var events = calls.Select(c => (ICallEvent)c.Started(flow)).ToList();
            events.Insert(10, poison.Started(flow));
            events.AddRange(calls.Select(c => c.Ended(10, flow: flow)));
            await BrokerConsumptionTests.PublishAsync(publisher, [.. events]);

            await Eventually.TrueAsync(
                () => service.Queries.CallsAsync(new CallQuery(Flow: flow, Outcome: "completed")).Result.Total == calls.Count,
                Patience, TimeSpan.FromMilliseconds(200));
            // MassTransit moves a message whose consumer failed with anything but StoreUnavailableException to <queue>_error.
            string? faulted = null;
            await Eventually.TrueAsync(async () => (faulted = await RawAmqp.TakeAsync(queue + "_error")) is not null, Patience, TimeSpan.FromMilliseconds(200));
            Assert.Contains(events[10].EventId.ToString("D"), faulted, StringComparison.Ordinal);
            var page = await service.Queries.CallsAsync(new CallQuery(Flow: flow, PageSize: 100));
            Assert.Equal(calls.Count, page.Total);
            Assert.All(page.Calls, c => Assert.Equal(2, c.Events));
        }
        finally
        {
            await publisher.StopAsync();
            await RawAmqp.DeleteQueueAsync(queue);
            await RawAmqp.DeleteQueueAsync(queue + "_error");
        }
    }
}
