using StepAudio.Telephony.Inference.Turns;

namespace StepAudio.Telephony.Inference.Tests.Turns;

public sealed class TurnLatencyTrackerTests
{
    [Fact]
    public void Latency_runs_from_the_last_voiced_window_on_both_clocks()
    {
        var clock = new SteppedClock();
        var tracker = new TurnLatencyTracker(clock);
        tracker.OnVoiced(16_000);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        tracker.OnVoiced(16_512); // the last voiced window ends at 1.032 s of audio; the wall clock marks it here
        clock.Advance(TimeSpan.FromMilliseconds(350));

        // Closed after 10 more windows of audio (320 ms); the event is raised 350 ms of wall time later.
        var latency = tracker.OnSegmentClosed(16_512 + (10 * 512));

        Assert.NotNull(latency);
        Assert.Equal(TimeSpan.FromMilliseconds(320), latency.Value.Audio);
        Assert.Equal(TimeSpan.FromMilliseconds(350), latency.Value.Wall);
        Assert.Equal(1, tracker.Count);
    }

    [Fact]
    public void A_close_without_voiced_audio_since_the_last_one_is_not_a_turn()
    {
        var clock = new SteppedClock();
        var tracker = new TurnLatencyTracker(clock);
        Assert.Null(tracker.OnSegmentClosed(5000));
        tracker.OnVoiced(512);
        Assert.NotNull(tracker.OnSegmentClosed(5000));
        Assert.Null(tracker.OnSegmentClosed(9000));
        Assert.Equal(1, tracker.Count);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_calls_turns()
    {
        var clock = new SteppedClock();
        var tracker = new TurnLatencyTracker(clock);
        Assert.Equal(TimeSpan.Zero, tracker.Percentile(50).Wall);
        long sample = 0;
        for (var ms = 100; ms <= 2000; ms += 100)
        {
            // 20 turns with wall latencies 100, 200, …, 2000 ms (in shuffled-looking order does not matter: sorted inside).
            sample += 16_000;
            tracker.OnVoiced(sample);
            clock.Advance(TimeSpan.FromMilliseconds(ms));
            tracker.OnSegmentClosed(sample + 4800);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(1000), tracker.Percentile(50).Wall);
        Assert.Equal(TimeSpan.FromMilliseconds(1900), tracker.Percentile(95).Wall);
        Assert.Equal(TimeSpan.FromMilliseconds(300), tracker.Percentile(95).Audio);
    }
}
