using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Analysis;

namespace StepAudio.Telephony.CallEngine.Tests.Analysis;

public sealed class CallAnalysisTests : IAsyncDisposable
{
    private static readonly EmotionEstimate Angry =
        new(EmotionLabel.Angry, 1, 0.8, -0.7, [new EmotionScore(EmotionLabel.Angry, 0.9), new EmotionScore(EmotionLabel.Neutral, 0.1)], "test");

    private readonly object _gate = new();
    private readonly List<ICallEvent> _published = [];
    private readonly CallEventFactory _events = new("call-1", TimeProvider.System);
    private SegmentAnalysisQueue? _queue;

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.DisposeAsync();
        }
    }

    private CallAnalysis Create(ISegmentAnalyzer analyzer, Action<CallAnalysisOptions>? configure = null)
    {
        var options = new CallAnalysisOptions { NonSpeech = { Enabled = false } };
        configure?.Invoke(options);
        _queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance);
        return new CallAnalysis(_queue, options, new FrustrationOptions(), _events, e => _published.Add(e), _gate, TimeProvider.System);
    }

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    private static SpeechSegment Seconds(double from, double to) => new((long)(from * 16_000), (long)(to * 16_000));

    private void FeedAudio(CallAnalysis analysis, double seconds) =>
        Locked(() => analysis.OnAudio(new float[(int)(seconds * 16_000)], inSpeech: false, lastVoicedSampleEnd: -1));

    [Fact]
    public async Task A_full_queue_skips_the_segment_and_counts_it_without_waiting()
    {
        var analyzer = new ScriptedAnalyzer(Angry);
        var analysis = Create(analyzer, o => { o.QueueCapacity = 1; o.Workers = 1; });
        FeedAudio(analysis, 6);
        analyzer.Hold();

        Locked(() => analysis.OnSegment(Seconds(0, 1), null));
        Assert.True(analyzer.WaitEntered()); // the worker holds the first
        Locked(() => analysis.OnSegment(Seconds(2, 3), null)); // fills the queue
        Locked(() => analysis.OnSegment(Seconds(4, 5), null)); // no room: skipped, and this thread did not block

        analyzer.Release();
        Locked(() => analysis.OnAudioEnded());
        var summary = await analysis.CompleteAsync();

        Assert.Equal(1, summary.Skipped);
        Assert.Equal((2, 1, 0), analysis.AnalysisCounts); // two taken, the third refused
        Assert.Equal(2, analyzer.Calls);
        Assert.Equal(2, _published.OfType<EmotionDetected>().Count());
    }

    [Fact]
    public async Task Results_from_the_worker_and_events_from_the_call_leave_in_sequence_order()
    {
        var analyzer = new ScriptedAnalyzer(Angry, VocalEventKind.Sigh);
        var analysis = Create(analyzer);
        FeedAudio(analysis, 12);

        for (var i = 0; i < 10; i++)
        {
            // Key presses published by the call while the worker publishes results: both under the call's lock.
            Locked(() => analysis.OnSegment(Seconds(i, i + 0.9), null));
            Locked(() =>
            {
                _published.Add(_events.Dtmf('5', TimeSpan.FromMilliseconds(100), "rfc4733"));
                analysis.OnDtmf('5');
            });
        }

        Locked(() => analysis.OnAudioEnded());
        var summary = await analysis.CompleteAsync();
        Locked(() => _published.Add(_events.Ended(TimeSpan.FromSeconds(20), "caller", "bye", 10, summary)));

        Assert.Equal(Enumerable.Range(1, _published.Count).Select(i => (long)i), _published.Select(e => e.Sequence));
        Assert.Equal(10, _published.OfType<EmotionDetected>().Count());
        Assert.Equal(10, _published.OfType<VocalEventDetected>().Count());
        Assert.Contains(_published, e => e is FrustrationChanged { Level: "high" });
        var ended = Assert.IsType<CallEnded>(_published[^1]);
        Assert.Equal(1, ended.PeakFrustration);
        Assert.Equal(10, ended.VocalEvents!["Sigh"]);
        Assert.Equal(0.45, ended.TalkRatio, 6); // 10 × 0.9 s of 20 s
        Assert.Equal(0.55, ended.SilenceRatio, 6);
    }

    [Fact]
    public async Task Results_that_arrive_after_the_drain_timeout_are_dropped()
    {
        var analyzer = new ScriptedAnalyzer(Angry);
        var analysis = Create(analyzer, o => o.DrainTimeout = TimeSpan.FromMilliseconds(50));
        FeedAudio(analysis, 2);
        analyzer.Hold();
        Locked(() => analysis.OnSegment(Seconds(0, 1), null));
        Assert.True(analyzer.WaitEntered());
        Locked(() => analysis.OnAudioEnded());

        await analysis.CompleteAsync();
        analyzer.Release();
        await _queue!.DisposeAsync(); // waits for the worker to finish the held job
        _queue = null;

        Assert.Empty(_published);
        Assert.Equal((1, 0, 1), analysis.AnalysisCounts); // the end line reports it
    }

    [Fact]
    public void Speech_over_a_playing_prompt_is_a_barge_in()
    {
        var analysis = Create(new ScriptedAnalyzer(Angry));
        Locked(() => analysis.OnSpeechStarted(16_000, promptPlaying: false));
        Assert.Empty(_published);

        Locked(() => analysis.OnSpeechStarted(32_000, promptPlaying: true));

        var bargeIn = Assert.IsType<BargeInDetected>(Assert.Single(_published));
        Assert.Equal(2.0, bargeIn.AtSeconds);
        Assert.Equal(1, analysis.Summary().BargeIns);
        Assert.Equal(FrustrationCue.BargeIn, analysis.Frustration.TopReasons(1)[0].Cue);
    }

    [Fact]
    public async Task Non_finite_analyzer_output_is_published_as_finite_numbers()
    {
        var broken = new EmotionEstimate(EmotionLabel.Sad, double.NaN, double.PositiveInfinity, double.NaN, [new EmotionScore(EmotionLabel.Sad, double.NaN)], "test");
        var analysis = Create(new ScriptedAnalyzer(broken));
        FeedAudio(analysis, 2);
        Locked(() => analysis.OnSegment(Seconds(0, 1), null));
        Locked(() => analysis.OnAudioEnded());
        await analysis.CompleteAsync();

        var emotion = Assert.Single(_published.OfType<EmotionDetected>());
        Assert.All([emotion.Confidence, emotion.Arousal, emotion.Valence, emotion.TopScores[0].Score], v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(analysis.Frustration.Current));
    }

    [Fact]
    public void End_of_turn_latency_is_measured_from_the_last_voiced_window()
    {
        var analysis = Create(new ScriptedAnalyzer(Angry), o => o.Enabled = false);
        Locked(() => analysis.OnAudio(new float[16_000], inSpeech: true, lastVoicedSampleEnd: 16_000));
        Locked(() => analysis.OnAudio(new float[8_000], inSpeech: true, lastVoicedSampleEnd: 16_000));

        Assert.Equal(1, analysis.OnSegment(Seconds(0.5, 1.03), decidedAtSample: 24_000)); // the call's first turn
        Assert.Equal(1, analysis.Turns.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500), analysis.Turns.Percentile(50).Audio);
        Assert.Equal(analysis.Turns.Percentile(95).Wall, analysis.Summary().TurnEndP95);
    }
}
