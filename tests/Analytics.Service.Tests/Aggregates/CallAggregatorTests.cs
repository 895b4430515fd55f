using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Aggregates;

public sealed class CallAggregatorTests
{
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(TenOClock.AddMinutes(30));

    [Fact]
    public void A_redelivered_message_is_counted_once()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(5));
        var started = call.Started();

        Assert.Equal(ApplyResult.Applied, aggregator.Apply(started, started.EventId));
        Assert.Equal(ApplyResult.Duplicate, aggregator.Apply(started, started.EventId));

        Assert.Equal(1, Assert.Single(aggregator.Aggregates()).CallsStarted);
    }

    [Fact]
    public void The_same_call_sequence_under_a_new_message_id_is_counted_once()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(5));
        aggregator.Apply(call.Started(), Guid.NewGuid());
        var ended = call.Ended(60);

        Assert.Equal(ApplyResult.Applied, aggregator.Apply(ended, Guid.NewGuid()));
        Assert.Equal(ApplyResult.Duplicate, aggregator.Apply(ended with { EventId = Guid.NewGuid() }, Guid.NewGuid()));

        Assert.Equal(1, Assert.Single(aggregator.Aggregates()).CallsEnded);
    }

    [Fact]
    public void A_duplicate_is_forgotten_after_the_window_and_when_the_capacity_is_exceeded()
    {
        var aggregator = NewAggregator(o => o.DeduplicationCapacity = 2);
        var first = new Events("c1", TenOClock.AddMinutes(5)).Started();
        Apply(aggregator, first);
        Apply(aggregator, new Events("c2", TenOClock.AddMinutes(6)).Started());
        Apply(aggregator, new Events("c3", TenOClock.AddMinutes(7)).Started());

        // The capacity (2) pushed c1's ids out, so its redelivery is no longer recognised.
        Assert.Equal(ApplyResult.Applied, aggregator.Apply(first, first.EventId));

        var windowed = NewAggregator(o => o.DeduplicationWindow = TimeSpan.FromMinutes(10));
        var again = new Events("c9", TenOClock.AddMinutes(5)).Started();
        Apply(windowed, again);
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(ApplyResult.Duplicate, windowed.Apply(again, again.EventId));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ApplyResult.Applied, windowed.Apply(again, again.EventId));
    }

    [Fact]
    public void Outcomes_are_counted_per_flow_and_unknown_holds_null_and_unrecognised_ones()
    {
        var aggregator = NewAggregator();
        string?[] outcomes = ["completed", "completed", "Transferred", "abandoned", "failed", null, "hung"];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var call = new Events("c" + i, TenOClock.AddMinutes(i));
            Apply(aggregator, call.Started());
            Apply(aggregator, call.Ended(30, outcomes[i]));
        }

        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal(new OutcomeCounts(Completed: 2, Transferred: 1, Abandoned: 1, Failed: 1, Unknown: 2), row.Outcomes);
        Assert.Equal(7, row.CallsStarted);
        Assert.Equal(7, row.CallsEnded);
    }

    [Fact]
    public void Means_and_peaks_are_over_ended_calls()
    {
        var aggregator = NewAggregator();
        var a = new Events("a", TenOClock.AddMinutes(1));
        var b = new Events("b", TenOClock.AddMinutes(2));
        var c = new Events("c", TenOClock.AddMinutes(3));
        Apply(aggregator, a.Started(), b.Started(), c.Started());
        Apply(aggregator, a.Ended(60, peakFrustration: 0.2), b.Ended(120, peakFrustration: 0.8));

        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal(3, row.CallsStarted);
        Assert.Equal(2, row.CallsEnded);
        Assert.Equal(0.5, row.MeanPeakFrustration, 9);
        Assert.Equal(0.8, row.PeakFrustration, 9);
        Assert.Equal(90, row.MeanDurationSeconds, 9);
    }

    [Fact]
    public void A_call_peak_is_the_higher_of_CallEnded_and_the_frustration_events_seen()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(1));
        // An older gateway reports 0 as the call's peak; the events showed 0.9.
        Apply(aggregator, call.Started(), call.Frustration(0.9, "high"), call.Frustration(0.4, "elevated"), call.Ended(60, peakFrustration: 0));

        Assert.Equal(0.9, Assert.Single(aggregator.Aggregates()).PeakFrustration, 9);
    }

    [Fact]
    public void Sigh_and_laugh_rates_come_from_CallEnded_only_so_vocal_events_are_not_counted_twice()
    {
        var aggregator = NewAggregator();
        var a = new Events("a", TenOClock.AddMinutes(1));
        var b = new Events("b", TenOClock.AddMinutes(2));
        Apply(aggregator, a.Started(), a.Vocal("Sigh"), a.Vocal("Sigh"), a.Vocal("Laugh"));
        Apply(aggregator, a.Ended(120, vocalEvents: new Dictionary<string, int> { ["Sigh"] = 2, ["Laugh"] = 1 }));
        Apply(aggregator, b.Started(), b.Ended(60, vocalEvents: new Dictionary<string, int> { ["sigh"] = 1, ["Cough"] = 4 }));

        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal(3, row.Sighs);
        Assert.Equal(1, row.Laughs);
        Assert.Equal(1.5, row.SighsPerCall, 9);
        Assert.Equal(0.5, row.LaughsPerCall, 9);
        // 3 minutes of call time.
        Assert.Equal(1.0, row.SighsPerMinute, 9);
        Assert.Equal(1.0 / 3, row.LaughsPerMinute, 9);
    }

    [Fact]
    public void Calls_are_bucketed_by_flow_and_by_the_UTC_hour_they_started_in()
    {
        var aggregator = NewAggregator();
        // Starts at 10:59:30 in UTC+02:00, i.e. 08:59:30 UTC, and ends after the hour turned.
        var late = new Events("late", new DateTimeOffset(2026, 11, 23, 10, 59, 30, TimeSpan.FromHours(2)));
        var early = new Events("early", TenOClock.AddMinutes(1));
        var noFlow = new Events("noflow", TenOClock.AddMinutes(2));
        Apply(aggregator, late.Started(), late.Ended(90));
        Apply(aggregator, early.Started("sales"), early.Ended(30, flow: "sales"));
        Apply(aggregator, noFlow.Started(null), noFlow.Ended(30, flow: null));

        var rows = aggregator.Aggregates();
        Assert.Equal(
            [("(none)", TenOClock), ("sales", TenOClock), ("billing", TenOClock.AddHours(-2))],
            rows.Select(r => (r.Flow, r.Hour)).ToArray());
        Assert.All(rows, r => Assert.Equal(1, r.CallsEnded));
        Assert.Equal(["sales"], aggregator.Aggregates(flow: "sales").Select(r => r.Flow));
        Assert.Equal(
            [TenOClock.AddHours(-2)],
            aggregator.Aggregates(from: TenOClock.AddHours(-2).AddMinutes(30), to: TenOClock).Select(r => r.Hour));
    }

    [Fact]
    public void CallEnded_without_CallStarted_is_bucketed_by_its_own_flow_and_computed_start()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(-1));
        _ = call.Started();

        Apply(aggregator, call.Ended(120, flow: "sales"));

        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal(("sales", TenOClock.AddHours(-1), 0L, 1L), (row.Flow, row.Hour, row.CallsStarted, row.CallsEnded));
    }

    [Fact]
    public void Hours_older_than_the_retention_are_dropped_and_their_late_events_ignored()
    {
        var aggregator = NewAggregator(o => o.RetainedHours = 3);
        var old = new Events("old", TenOClock.AddHours(-2));
        Apply(aggregator, old.Started());
        Assert.Single(aggregator.Aggregates());

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(aggregator.Aggregates());
        Assert.Equal(ApplyResult.OutsideRetention, Apply(aggregator, old.Ended(60)));
        Assert.Empty(aggregator.Aggregates());
    }

    [Fact]
    public void Active_calls_show_the_latest_emotion_frustration_and_vocal_events_and_leave_on_CallEnded()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(1));
        Apply(aggregator, call.Started(from: "sip:+4930123456@trunk.example"), call.Emotion("Angry", 0.7),
            call.Emotion("Frustrated", 0.6, at: 4), call.Frustration(0.55, "elevated", at: 5), call.Vocal("Sigh", at: 6));

        var active = Assert.Single(aggregator.ActiveCalls());
        Assert.Equal(("c1", "billing", "•••••••3456"), (active.CallId, active.Flow, active.From));
        Assert.Equal(("Frustrated", 0.6, 0.55, "elevated"), (active.Emotion, active.EmotionConfidence, active.Frustration, active.FrustrationLevel));
        Assert.Equal(new Dictionary<string, int> { ["Sigh"] = 1 }, active.VocalEvents);
        Assert.Equal(TenOClock.AddMinutes(1).AddSeconds(6), active.LastActivity);

        Apply(aggregator, call.Ended(60));
        Assert.Empty(aggregator.ActiveCalls());
    }

    [Fact]
    public void Events_after_CallEnded_do_not_revive_the_call_but_a_late_transfer_still_counts()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(1));
        var started = call.Started();
        var emotion = call.Emotion("Angry", 0.7);
        var transferred = call.Transferred();
        var ended = call.Ended(60, "transferred");

        Apply(aggregator, started, ended);
        Assert.Equal(ApplyResult.LateForEndedCall, Apply(aggregator, emotion));
        Assert.Equal(ApplyResult.Applied, Apply(aggregator, transferred));

        Assert.Empty(aggregator.ActiveCalls());
        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal((1L, 1L, 1L), (row.CallsStarted, row.CallsEnded, row.Transfers));
    }

    [Fact]
    public void A_call_whose_CallStarted_is_missing_is_still_shown_and_its_CallStarted_arriving_later_completes_it()
    {
        var aggregator = NewAggregator();
        var call = new Events("c1", TenOClock.AddMinutes(1));
        var started = call.Started();
        Apply(aggregator, call.Frustration(0.3, "calm"));
        Assert.Equal(("(none)", ""), (Assert.Single(aggregator.ActiveCalls()).Flow, Assert.Single(aggregator.ActiveCalls()).From));

        Apply(aggregator, started);
        var active = Assert.Single(aggregator.ActiveCalls());
        Assert.Equal(("billing", 0.3), (active.Flow, active.Frustration));
        Assert.Equal(1, Assert.Single(aggregator.Aggregates()).CallsStarted);
    }

    [Fact]
    public void A_call_silent_for_longer_than_the_idle_timeout_leaves_the_active_list()
    {
        var observer = new RecordingObserver();
        var aggregator = NewAggregator(o => o.ActiveCallIdleTimeout = TimeSpan.FromMinutes(30), observer);
        Apply(aggregator, new Events("c1", TenOClock.AddMinutes(1)).Started());
        _clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Single(aggregator.ActiveCalls());

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(aggregator.ActiveCalls());
        Assert.Equal(["c1"], observer.Ended);
    }

    [Fact]
    public void The_observer_hears_each_change_and_nothing_for_duplicates()
    {
        var observer = new RecordingObserver();
        var aggregator = NewAggregator(observer: observer);
        var call = new Events("c1", TenOClock.AddMinutes(1));
        var started = call.Started();
        Apply(aggregator, started, started, call.Emotion("Happy", 0.9), call.Ended(30));

        Assert.Equal([null, "Happy"], observer.Changed.Select(c => c.Emotion));
        Assert.Equal(["c1"], observer.Ended);
        Assert.Equal(2, observer.AggregateChanges);
    }

    [Fact]
    public void An_event_without_a_call_id_is_rejected_and_changes_nothing()
    {
        var aggregator = NewAggregator();
        var started = new Events("c1", TenOClock.AddMinutes(1)).Started() with { CallId = null! };

        Assert.Equal(ApplyResult.Rejected, aggregator.Apply(started, started.EventId));
        Assert.Empty(aggregator.Aggregates());
        Assert.Empty(aggregator.ActiveCalls());
    }

    [Fact]
    public void Concurrent_calls_from_many_threads_are_all_counted()
    {
        var aggregator = NewAggregator();
        Parallel.For(0, 200, i =>
        {
            var call = new Events("c" + i, TenOClock.AddMinutes(i % 60));
            Apply(aggregator, call.Started(), call.Emotion("Neutral", 0.5), call.Ended(10));
        });

        var row = Assert.Single(aggregator.Aggregates());
        Assert.Equal((200L, 200L), (row.CallsStarted, row.CallsEnded));
        Assert.Empty(aggregator.ActiveCalls());
    }

    private static ApplyResult Apply(CallAggregator aggregator, params ICallEvent[] events)
    {
        var last = ApplyResult.Applied;
        foreach (var e in events)
        {
            last = aggregator.Apply(e, e.EventId);
        }

        return last;
    }

    private CallAggregator NewAggregator(Action<AnalyticsOptions>? configure = null, ICallAggregateObserver? observer = null)
    {
        var options = new AnalyticsOptions();
        configure?.Invoke(options);
        return new CallAggregator(Options.Create(options), _clock, observer);
    }

    private sealed class RecordingObserver : ICallAggregateObserver
    {
        public List<ActiveCallView> Changed { get; } = [];

        public List<string> Ended { get; } = [];

        public int AggregateChanges { get; private set; }

        public void CallChanged(ActiveCallView activeCall) => Changed.Add(activeCall);

        public void CallEnded(string callId) => Ended.Add(callId);

        public void AggregatesChanged() => AggregateChanges++;
    }
}
