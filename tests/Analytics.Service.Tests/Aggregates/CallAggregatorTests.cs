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
        Assert.Single(aggregator.ActiveCalls());
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
        Assert.Equal(1, aggregator.DuplicatesDropped);
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
    public void Events_after_CallEnded_do_not_revive_the_call_but_a_late_transfer_still_updates_the_aggregates()
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
        Assert.Equal(("billing", 0.3, TenOClock.AddMinutes(1)), (active.Flow, active.Frustration, active.StartedAt));
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
        Assert.Empty(aggregator.ActiveCalls());
    }

    [Fact]
    public void Concurrent_calls_from_many_threads_are_all_applied()
    {
        var observer = new RecordingObserver();
        var aggregator = NewAggregator(observer: observer);
        Parallel.For(0, 200, i =>
        {
            var call = new Events("c" + i, TenOClock.AddMinutes(i % 60));
            Apply(aggregator, call.Started(), call.Emotion("Neutral", 0.5));
        });

        Assert.Equal(200, aggregator.ActiveCalls().Count);
        // Each CallStarted changes what the stored aggregates show, so each one tells the live page.
        Assert.Equal(200, observer.AggregateChanges);
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
