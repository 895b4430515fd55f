using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Inference.Tests.Frustration;

public sealed class FrustrationTrackerTests
{
    private static FrustrationTracker Tracker(Action<FrustrationOptions>? configure = null)
    {
        var options = new FrustrationOptions();
        configure?.Invoke(options);
        return new FrustrationTracker(options);
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Neutral_speech_leaves_the_score_at_zero()
    {
        var tracker = Tracker();
        Assert.Null(tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Neutral, 0.9)));
        Assert.Equal(0, tracker.Current);
        Assert.Empty(tracker.TopReasons(3));
    }

    [Fact]
    public void Angry_speech_raises_the_score_by_weight_times_confidence()
    {
        var tracker = Tracker(o => o.NegativeEmotionWeight = 0.4);
        tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Angry, 0.5));

        // Contribution 0.4 × 0.5 observed at the segment's end, read at the same moment: no decay yet.
        Assert.Equal(0.2, tracker.Current, 6);
        var reason = Assert.Single(tracker.TopReasons(3));
        Assert.Equal(FrustrationCue.NegativeEmotion, reason.Cue);
        Assert.Equal("negative-emotion", reason.CueName);
        Assert.Contains("Angry", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_valence_counts_for_an_unmarked_label()
    {
        var tracker = Tracker(o => o.NegativeEmotionWeight = 0.4);
        tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Neutral, confidence: 1, valence: -0.5));
        Assert.Equal(0.2, tracker.Current, 6);
    }

    [Fact]
    public void Loudness_counts_against_the_callers_own_baseline()
    {
        var tracker = Tracker(o => { o.LoudnessWeight = 0.2; o.LoudnessMinDb = 4; o.LoudnessFullScaleDb = 10; o.HalfLifeSeconds = 1e9; });
        tracker.OnSegment(Analyses.Speech(0, energyDbfs: -20)); // a loud caller: the baseline, not a cue
        Assert.Equal(0, tracker.Current);
        tracker.OnSegment(Analyses.Speech(2, energyDbfs: -17)); // +3 dB: under the minimum
        Assert.Equal(0, tracker.Current);

        // Baseline is now -20 + 0.2 × 3 = -19.4; -9.4 is +10 dB: full weight.
        tracker.OnSegment(Analyses.Speech(4, energyDbfs: -9.4));
        Assert.Equal(0.2, tracker.Current, 3);
        Assert.Equal(FrustrationCue.RaisedLoudness, tracker.TopReasons(1)[0].Cue);
    }

    [Fact]
    public void A_long_sigh_counts_fully_a_short_one_half_and_a_laugh_not_at_all()
    {
        var tracker = Tracker(o => { o.SighWeight = 0.2; o.LongSighSeconds = 0.6; o.HalfLifeSeconds = 1e9; });
        tracker.OnSegment(Analyses.NonSpeech(0, new VocalEvent(VocalEventKind.Laugh, S(0), S(1), 1)));
        Assert.Equal(0, tracker.Current);
        tracker.OnSegment(Analyses.NonSpeech(1, new VocalEvent(VocalEventKind.Sigh, S(1), S(0.3), 1)));
        Assert.Equal(0.1, tracker.Current, 6);
        tracker.OnSegment(Analyses.NonSpeech(3, new VocalEvent(VocalEventKind.Sigh, S(3), S(0.9), 1)));
        Assert.Equal(0.3, tracker.Current, 6);
    }

    [Fact]
    public void Contributions_halve_every_half_life()
    {
        var tracker = Tracker(o => { o.NegativeEmotionWeight = 0.4; o.HalfLifeSeconds = 10; });
        tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Angry, 1)); // observed at 1 s (segment end)
        Assert.Equal(0.4, tracker.ScoreAt(S(1)), 6);
        Assert.Equal(0.2, tracker.ScoreAt(S(11)), 6);
        Assert.Equal(0.1, tracker.ScoreAt(S(21)), 6);
        tracker.Tick(S(31));
        Assert.Equal(0.05, tracker.Current, 6);
        Assert.Equal(0.4, tracker.Peak, 6);
    }

    [Fact]
    public void Crossing_a_threshold_is_reported_up_and_down_with_hysteresis()
    {
        var tracker = Tracker(o =>
        {
            o.Thresholds = [0.4, 0.7];
            o.Hysteresis = 0.05;
            o.ReportDelta = 0.9; // only crossings report
            o.NegativeEmotionWeight = 0.45;
            o.HalfLifeSeconds = 10;
        });

        var up = tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Angry, 1));
        Assert.NotNull(up);
        Assert.Equal(0.4, up.ThresholdCrossed);
        Assert.Equal(1, up.Level);
        Assert.Equal("elevated", up.LevelName);
        Assert.Equal(0, up.Previous);

        // 0.45 → 0.38 (below 0.4 but inside the hysteresis band): stays elevated, nothing reported.
        var halfLivesTo038 = Math.Log2(0.45 / 0.38) * 10;
        Assert.Null(tracker.Tick(S(1 + halfLivesTo038)));
        Assert.Equal(1, tracker.Level);

        // 0.45 → 0.34 (below 0.35): back to calm, reported as crossing 0.4 downwards.
        var down = tracker.Tick(S(1 + (Math.Log2(0.45 / 0.34) * 10)));
        Assert.NotNull(down);
        Assert.Equal(0.4, down.ThresholdCrossed);
        Assert.Equal(0, down.Level);
        Assert.Equal("calm", down.LevelName);
        Assert.False(tracker.IsAbove(0.4));
    }

    [Fact]
    public void The_flow_condition_frustration_above_0_7_becomes_true()
    {
        var tracker = Tracker(o => o.NegativeEmotionWeight = 0.4);
        tracker.OnSegment(Analyses.Speech(0, EmotionLabel.Angry, 1));
        Assert.False(tracker.IsAbove(0.7));
        var change = tracker.OnSegment(Analyses.Speech(1, EmotionLabel.Frustrated, 1));
        Assert.True(tracker.IsAbove(0.7));
        Assert.Equal("high", tracker.LevelName);
        Assert.Equal(0.7, change!.ThresholdCrossed);
    }

    [Fact]
    public void A_move_by_the_report_delta_is_reported_without_a_crossing()
    {
        var tracker = Tracker(o => { o.ReportDelta = 0.1; o.BargeInWeight = 0.06; o.HalfLifeSeconds = 1e9; });
        Assert.Null(tracker.OnBargeIn(S(1)));
        var change = tracker.OnBargeIn(S(2));
        Assert.NotNull(change);
        Assert.Null(change.ThresholdCrossed);
        Assert.Equal(0.12, change.Score, 6);
        Assert.Equal(2, change.TopReasons.Count);
        Assert.All(change.TopReasons, r => Assert.Equal(FrustrationCue.BargeIn, r.Cue));
    }

    [Fact]
    public void The_same_key_again_and_again_is_a_repeat_cue_from_the_nth_press()
    {
        var tracker = Tracker(o => { o.DtmfRepeatCount = 3; o.DtmfRepeatWeight = 0.1; o.DtmfMashKeys = 50; o.HalfLifeSeconds = 1e9; });
        tracker.OnDtmf('0', S(1));
        tracker.OnDtmf('0', S(2.5));
        Assert.Equal(0, tracker.Current);
        tracker.OnDtmf('0', S(4));
        Assert.Equal(0.1, tracker.Current, 6);
        Assert.Equal("key 0 x3", tracker.TopReasons(1)[0].Detail);

        // A different key, or the same key after a long pause, starts a new run.
        tracker.OnDtmf('1', S(5));
        tracker.OnDtmf('1', S(20));
        tracker.OnDtmf('1', S(21));
        Assert.Equal(0.1, tracker.Current, 6);
    }

    [Fact]
    public void Many_keys_in_a_short_time_are_one_mash_cue_per_burst()
    {
        var tracker = Tracker(o => { o.DtmfMashKeys = 5; o.DtmfMashWindowSeconds = 2; o.DtmfMashWeight = 0.25; o.HalfLifeSeconds = 1e9; });
        var keys = "1234567";
        for (var i = 0; i < keys.Length; i++)
        {
            tracker.OnDtmf(keys[i], S(10 + (0.2 * i)));
        }

        // Seven keys in 1.2 s: the fifth completes a burst, the sixth and seventh start a new window.
        Assert.Equal(0.25, tracker.Current, 6);
        Assert.Equal(FrustrationCue.DtmfMash, tracker.TopReasons(1)[0].Cue);

        // Keys one second apart never fill a 2 s window of five.
        var slow = Tracker(o => { o.DtmfMashKeys = 5; o.DtmfMashWindowSeconds = 2; });
        for (var i = 0; i < 10; i++)
        {
            slow.OnDtmf((char)('0' + i), S(i));
        }

        Assert.Equal(0, slow.Current);
    }

    [Fact]
    public void A_replayed_prompt_is_a_repeated_menu_each_time()
    {
        var tracker = Tracker(o => { o.RepeatedPromptWeight = 0.2; o.HalfLifeSeconds = 1e9; });
        tracker.OnPromptStarted("main-menu", S(0));
        tracker.OnPromptStarted("other", S(5));
        Assert.Equal(0, tracker.Current);
        tracker.OnPromptStarted("main-menu", S(10));
        tracker.OnPromptStarted("main-menu", S(20));
        Assert.Equal(0.4, tracker.Current, 6);
        Assert.Equal("main-menu played 3 times", tracker.TopReasons(1)[0].Detail);
    }

    [Fact]
    public void Silence_after_a_prompt_counts_once_and_an_answer_cancels_it()
    {
        var tracker = Tracker(o => { o.SilenceAfterPromptSeconds = 5; o.SilenceAfterPromptWeight = 0.1; o.HalfLifeSeconds = 1e9; });
        tracker.OnPromptFinished(S(10));
        tracker.Tick(S(14));
        Assert.Equal(0, tracker.Current);
        tracker.Tick(S(15));
        Assert.Equal(0.1, tracker.Current, 6);
        tracker.Tick(S(30));
        Assert.Equal(0.1, tracker.Current, 6);

        var answered = Tracker(o => { o.SilenceAfterPromptSeconds = 5; });
        answered.OnPromptFinished(S(10));
        answered.OnSpeechStarted(S(12));
        answered.Tick(S(30));
        Assert.Equal(0, answered.Current);
    }

    [Fact]
    public void The_score_is_capped_at_one_and_the_largest_reason_comes_first()
    {
        var tracker = Tracker(o => { o.HalfLifeSeconds = 1e9; o.MaxReasons = 2; });
        tracker.OnBargeIn(S(0));
        for (var i = 0; i < 5; i++)
        {
            tracker.OnSegment(Analyses.Speech(i, EmotionLabel.Angry, 1));
        }

        Assert.Equal(1, tracker.Current);
        Assert.Equal(1, tracker.Peak);
        var top = tracker.TopReasons(10);
        Assert.Equal(6, top.Count);
        Assert.Equal(FrustrationCue.NegativeEmotion, top[0].Cue);
        Assert.Equal(FrustrationCue.BargeIn, top[^1].Cue);
    }

    [Fact]
    public void Invalid_thresholds_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Tracker(o => o.Thresholds = [0.7, 0.4]));
        Assert.Throws<ArgumentException>(() => Tracker(o => o.Thresholds = [0.5]));
        Assert.Throws<ArgumentException>(() => Tracker(o => o.HalfLifeSeconds = 0));
    }
}
