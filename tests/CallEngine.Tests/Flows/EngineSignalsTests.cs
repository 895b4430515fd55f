using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Inference.Frustration;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Tests.Analysis;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

public sealed class EngineSignalsTests : IAsyncDisposable
{
    private static readonly EmotionEstimate Angry =
        new(EmotionLabel.Angry, 1, 0.8, -0.7, [new EmotionScore(EmotionLabel.Angry, 0.9), new EmotionScore(EmotionLabel.Neutral, 0.1)], "test");

    private readonly object _gate = new();
    private readonly List<ICallEvent> _published = [];
    private SegmentAnalysisQueue? _queue;
    private TimeSpan _now = TimeSpan.FromSeconds(10);

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.DisposeAsync();
        }
    }

    [Fact]
    public void Before_any_analysis_the_caller_is_neutral_and_silent()
    {
        var signals = new EngineSignals(() => _now, analysis: null);

        Assert.Equal("neutral", signals.Emotion);
        Assert.Equal(0, signals.Frustration);
        Assert.False(signals.CallerSpeaking);
        Assert.Equal(TimeSpan.Zero, signals.LastCallerActivity);
        Assert.Equal(0, signals.VocalEventCount("sigh", TimeSpan.Zero));
    }

    [Fact]
    public async Task Emotion_and_vocal_events_come_from_the_calls_analysis_with_their_call_time()
    {
        var analysis = CreateAnalysis(new ScriptedAnalyzer(Angry, VocalEventKind.Sigh, VocalEventKind.ThroatClear));
        var signals = new EngineSignals(() => _now, analysis);
        lock (_gate)
        {
            analysis.OnAudio(new float[6 * 16_000], inSpeech: false, lastVoicedSampleEnd: -1);
            analysis.OnSegment(new SpeechSegment(2 * 16_000, 3 * 16_000), null);
            analysis.OnAudioEnded();
        }

        await analysis.CompleteAsync();

        Assert.Equal("angry", signals.Emotion);
        Assert.Equal(1, signals.VocalEventCount("sigh", TimeSpan.FromSeconds(1)));
        Assert.Equal(1, signals.VocalEventCount("throat_clear", TimeSpan.FromSeconds(2)));
        Assert.Equal(0, signals.VocalEventCount("sigh", TimeSpan.FromSeconds(2.5)));
        Assert.Equal(0, signals.VocalEventCount("laugh", TimeSpan.Zero));
    }

    [Theory]
    [InlineData("throat_clear", true)]
    [InlineData("Sigh", true)]
    [InlineData("crying", true)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData("burp", false)]
    public void Vocal_event_names_are_the_flow_languages_snake_case(string name, bool known) =>
        Assert.Equal(known, EngineSignals.TryParseKind(name, out _));

    [Fact]
    public void Caller_input_is_recorded_as_activity_and_only_the_tick_raises_changed()
    {
        var signals = new EngineSignals(() => _now, analysis: null);
        int changed = 0;
        signals.Changed += (_, _) => changed++;

        signals.OnCallerInput(TimeSpan.FromSeconds(4));
        signals.Tick();
        _now = TimeSpan.FromSeconds(12);

        // Input arrives under the call's lock; Changed handlers must not run there (see EngineSignals.OnCallerInput).
        Assert.Equal(1, changed);
        Assert.Equal(TimeSpan.FromSeconds(4), signals.LastCallerActivity);
        Assert.Equal(TimeSpan.FromSeconds(12), signals.Now);
    }

    private CallAnalysis CreateAnalysis(ISegmentAnalyzer analyzer)
    {
        var options = new CallAnalysisOptions { NonSpeech = { Enabled = false } };
        _queue = new SegmentAnalysisQueue(analyzer, Options.Create(options), NullLogger<SegmentAnalysisQueue>.Instance);
        return new CallAnalysis(_queue, options, new FrustrationOptions(), new CallEventFactory("call-1", TimeProvider.System), _published.Add, _gate, TimeProvider.System);
    }
}
