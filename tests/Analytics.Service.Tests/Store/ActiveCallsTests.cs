using Microsoft.Data.Sqlite;
using StepAudio.Telephony.Analytics.Service.Store;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Store;

/// <summary>The calls in progress, read from the store (so every instance sharing it lists the same), on both databases.</summary>
public sealed class ActiveCallsTests
{
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(4);
    private readonly ManualTimeProvider _clock = new(TenOClock.AddMinutes(30));

    public static TheoryData<StoreProvider> Providers => new() { StoreProvider.Sqlite, StoreProvider.Postgres };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_call_in_progress_shows_its_latest_emotion_and_frustration_whatever_order_they_arrived_in(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var call = new Events("live", TenOClock.AddMinutes(5));
        var started = call.Started("billing", "sip:+4930555123456@trunk.example");
        var earlyEmotion = call.Emotion("Sad", 0.55, at: 2);
        var earlyFrustration = call.Frustration(0.3, "calm", at: 3);
        var lateEmotion = call.Emotion("Angry", 0.81, at: 8);
        var lateFrustration = call.Frustration(0.62, "elevated", at: 9);
        // The later ones first: the list shows the latest by the events' time, not by arrival.
        foreach (var e in new Contracts.ICallEvent[] { lateFrustration, lateEmotion, started, earlyFrustration, earlyEmotion, call.Vocal("Sigh"), call.Vocal("Sigh", at: 6), call.Vocal("Laugh", at: 7) })
        {
            Assert.Equal(AppendResult.Stored, await store.AppendAsync(e));
        }

        var active = Assert.Single(await Active(store));
        Assert.Equal(("live", "billing", TenOClock.AddMinutes(5), "Angry", 0.81, 0.62, "elevated"),
            (active.CallId, active.Flow, active.StartedAt, active.Emotion, active.EmotionConfidence, active.Frustration, active.FrustrationLevel));
        Assert.Equal(new Dictionary<string, int> { ["Laugh"] = 1, ["Sigh"] = 2 }, active.VocalEvents);
        Assert.EndsWith("3456", active.From, StringComparison.Ordinal);
        Assert.DoesNotContain("4930555", active.From, StringComparison.Ordinal);
        Assert.Equal(TenOClock.AddMinutes(5).AddSeconds(9), active.LastActivity);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_ended_call_leaves_the_list_and_a_late_event_does_not_bring_it_back(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var ended = new Events("ended", TenOClock.AddMinutes(5));
        var running = new Events("running", TenOClock.AddMinutes(6));
        await store.AppendAsync(ended.Started());
        await store.AppendAsync(running.Started());
        var lateEmotion = ended.Emotion("Happy", 0.7, at: 20);
        await store.AppendAsync(ended.Ended(30));
        Assert.Equal(["running"], (await Active(store)).Select(c => c.CallId));

        // Raised before CallEnded, delivered after it (a redelivery): the call stays ended.
        Assert.Equal(AppendResult.Stored, await store.AppendAsync(lateEmotion));
        Assert.Equal(["running"], (await Active(store)).Select(c => c.CallId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_call_whose_end_was_lost_leaves_the_list_once_nothing_was_written_for_it_for_the_idle_timeout(StoreProvider provider)
    {
        await using var store = await StoreUnderTest.CreateAsync(provider, _clock);
        var lost = new Events("lost-end", TenOClock.AddMinutes(5));
        var later = new Events("later", TenOClock.AddMinutes(6));
        await store.AppendAsync(lost.Started());
        _clock.Advance(TimeSpan.FromHours(3));
        await store.AppendAsync(later.Started());
        Assert.Equal(["lost-end", "later"], (await Active(store)).Select(c => c.CallId));

        // Measured on the service's clock from the last write, not from the gateway's timestamps.
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(["later"], (await Active(store)).Select(c => c.CallId));
        await store.AppendAsync(lost.Emotion("Neutral", 0.5));
        Assert.Equal(["lost-end", "later"], (await Active(store)).Select(c => c.CallId));
    }

    [Fact]
    public async Task A_database_made_by_the_previous_version_gains_the_live_columns_and_keeps_its_calls()
    {
        await using var store = await StoreUnderTest.CreateAsync(StoreProvider.Sqlite, _clock);
        var previous = new Events("before-upgrade", TenOClock.AddMinutes(1));
        await using (var connection = new SqliteConnection($"Data Source={store.Options.SqlitePath}"))
        {
            // The previous version's tables (without the live columns), with one call in them.
            await connection.OpenAsync();
            foreach (var statement in StoreSchema.Statements(new SqliteDialect(store.Options)))
            {
                await using var create = connection.CreateCommand();
                create.CommandText = statement;
                await create.ExecuteNonQueryAsync();
            }

            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO calls ({CallRows.SelectList}) VALUES ({string.Join(", ", StoreSchema.CallColumns.Select(c => "@" + c))})";
            foreach (var (name, value) in CallRows.Parameters(new CallSummary(previous.CallId, "billing", "…1234", TenOClock, true, null, 0,
                         "in-progress", null, 0, 0, 0, 0, 0, new Dictionary<string, int>(), null, 0, 0, 1, TenOClock)))
            {
                insert.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
            }

            await insert.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var call = new Events("after-upgrade", TenOClock.AddMinutes(2));
        Assert.Equal(AppendResult.Stored, await store.AppendAsync(call.Started()));
        Assert.Equal(2, (await store.Queries.CallsAsync(new Service.Queries.CallQuery())).Total);
        // The old row was never written by this version, so it counts as idle; the new one is listed.
        Assert.Equal(["after-upgrade"], (await Active(store)).Select(c => c.CallId));
    }

    private Task<IReadOnlyList<Service.Aggregates.ActiveCallView>> Active(StoreUnderTest store) =>
        store.Queries.ActiveCallsAsync(_clock.GetUtcNow() - IdleTimeout);
}
