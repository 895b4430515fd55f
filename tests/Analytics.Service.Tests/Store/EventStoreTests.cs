using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Store;

/// <summary>The store on both databases: exactly-once writes and summaries that do not depend on arrival order.</summary>
public sealed class EventStoreTests
{
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly ManualTimeProvider _clock = new(TenOClock.AddMinutes(30));

    public static TheoryData<StoreProvider> Providers => new() { StoreProvider.Sqlite, StoreProvider.Postgres };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_redelivered_event_and_a_republished_sequence_number_are_stored_once(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var call = new Events("c1", TenOClock.AddMinutes(5));
        var started = call.Started();
        var ended = call.Ended(60);

        Assert.Equal(AppendResult.Stored, await store.AppendAsync(started));
        Assert.Equal(AppendResult.Duplicate, await store.AppendAsync(started));
        Assert.Equal(AppendResult.Stored, await store.AppendAsync(ended));
        Assert.Equal(AppendResult.Duplicate, await store.AppendAsync(ended with { EventId = Guid.NewGuid() }));

        var detail = (await store.Queries.CallAsync("c1"))!;
        Assert.Equal((2, "completed"), (detail.Call.Events, detail.Call.Outcome));
        Assert.Equal(1, Assert.Single(await Aggregates(store)).CallsEnded);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Events_in_any_order_give_the_same_summary(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var inOrder = Call("ordered");
        var shuffled = Call("shuffled");
        foreach (var e in inOrder)
        {
            await store.AppendAsync(e);
        }

        // Ended first, started last: what a redelivery after a consumer crash can look like.
        foreach (var e in shuffled.AsEnumerable().Reverse().OrderBy(e => e.Sequence % 3))
        {
            await store.AppendAsync(e);
        }

        var a = (await store.Queries.CallAsync("ordered"))!.Call;
        var b = (await store.Queries.CallAsync("shuffled"))!.Call;
        Assert.Equal(JsonSerializer.Serialize(a with { CallId = "x" }, WebJson), JsonSerializer.Serialize(b with { CallId = "x" }, WebJson));
        Assert.Equal(("billing", true, "transferred", 0.9, 2, 1, 1, 1), (a.Flow, a.StartSeen, a.Outcome, a.PeakFrustration, a.Sighs, a.Laughs, a.Turns, a.Keys));
        Assert.Equal("Angry", a.DominantEmotion);
        Assert.Equal(TenOClock.AddMinutes(5), a.StartedAt);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_call_whose_start_was_never_seen_is_dated_from_its_end_and_its_duration(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var call = new Events("no-start", TenOClock.AddMinutes(5));
        call.Started(); // raised by the gateway, lost on the way
        await store.AppendAsync(call.Emotion("Sad", 0.6));
        Assert.Equal((false, "in-progress"), ((await store.Queries.CallAsync("no-start"))!.Call.StartSeen, (await store.Queries.CallAsync("no-start"))!.Call.Outcome));

        await store.AppendAsync(call.Ended(120, "abandoned", flow: "support"));
        var summary = (await store.Queries.CallAsync("no-start"))!.Call;
        Assert.Equal((false, "support", "abandoned"), (summary.StartSeen, summary.Flow, summary.Outcome));
        Assert.Equal(TenOClock.AddMinutes(5), summary.StartedAt);
        var row = Assert.Single(await Aggregates(store));
        Assert.Equal((0L, 1L, 1L), (row.CallsStarted, row.CallsEnded, row.Outcomes.Abandoned));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Older_and_newer_contract_versions_are_stored_as_sent_and_summarised_with_what_they_carry(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var call = new Events("versions", TenOClock.AddMinutes(5));
        var started = call.Started(flow: null);
        // A CallEnded from before issues 6 and 8: no peak, no vocal counts, no outcome, no flow.
        var ended = call.Ended(60, outcome: null, flow: null);
        const string old = """{"eventId":"{id}","callId":"versions","sequence":3,"timestamp":"2026-11-23T10:06:00+00:00","durationSeconds":60,"hungUpBy":"caller","reason":"bye","speechSegments":2}""";
        // A ConversationTurn of a later contract (issue 20), unknown to this build, with a field no contract has yet.
        var turn = new Events("versions", TenOClock.AddMinutes(5)).Emotion("Happy", 0.5) with { Sequence = 2 };

        Assert.Equal(AppendResult.Stored, await store.AppendAsync(started));
        Assert.Equal(AppendResult.Stored, await store.AppendJsonAsync(turn, """{"turn":1,"role":"caller","latencySeconds":0.8}""", "ConversationTurn"));
        Assert.Equal(AppendResult.Stored, await store.AppendJsonAsync(ended with { Sequence = 3 }, old.Replace("{id}", ended.EventId.ToString(), StringComparison.Ordinal)));

        var detail = (await store.Queries.CallAsync("versions"))!;
        Assert.Equal(("(none)", "unknown", 0.0, 0, 3), (detail.Call.Flow, detail.Call.Outcome, detail.Call.PeakFrustration, detail.Call.Turns, detail.Call.Events));
        var stored = detail.Events.Single(e => e.Type == "ConversationTurn");
        Assert.Equal(0.8, stored.Data.GetProperty("latencySeconds").GetDouble());
        Assert.Equal(1, Assert.Single(await Aggregates(store)).Outcomes.Unknown);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Calls_older_than_the_retention_are_refused_and_swept_and_the_rest_survive_a_restart(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock, o => o.Retention = TimeSpan.FromDays(2));
        var old = new Events("old", TenOClock.AddDays(-3));
        Assert.Equal(AppendResult.OutsideRetention, await store.AppendAsync(old.Started()));
        foreach (var e in Call("kept"))
        {
            await store.AppendAsync(e);
        }

        await store.ReopenAsync(_clock);
        Assert.Equal(1, (await store.Queries.CallsAsync(new CallQuery())).Total);
        Assert.Equal(1, Assert.Single(await Aggregates(store)).Outcomes.Transferred);

        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await store.Store.SweepAsync());
        Assert.Null(await store.Queries.CallAsync("kept"));
        Assert.Equal(0, (await store.Queries.CallsAsync(new CallQuery())).Total);
    }

    private static Task<IReadOnlyList<Service.Aggregates.AggregateRow>> Aggregates(StoreUnderTest store) =>
        store.Queries.AggregatesAsync(new TrendQuery(null, null, null, TimeSpan.FromHours(1), TimeSpan.Zero));

    private static List<ICallEvent> Call(string callId)
    {
        var call = new Events(callId, TenOClock.AddMinutes(5));
        return
        [
            call.Started(), call.Emotion("Angry", 0.8), call.Frustration(0.9, "high"), call.Vocal("Sigh"),
            new DtmfReceived(Guid.NewGuid(), callId, 5, TenOClock.AddMinutes(6), "0", 0.1, "rfc4733"),
            call.Vocal("Sigh", at: 5) with { Sequence = 6 }, call.Transferred() with { Sequence = 7 },
            call.Ended(90, "transferred", 0.5, new Dictionary<string, int> { ["Laugh"] = 1, ["Sigh"] = 1 }) with { Sequence = 8 },
        ];
    }
}
