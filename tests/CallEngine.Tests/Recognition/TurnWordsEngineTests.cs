using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Tests.Flows;
using StepAudio.Telephony.CallEngine.Tests.Turns;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Tests.Recognition;

/// <summary>
/// A call with a recogniser: each turn is recognised once when its speech ends, the flow's input carries the words,
/// and the turn's <c>EmotionDetected</c> waits for them to say how they agree with the voice. On a clock only the test moves.
/// </summary>
public sealed class TurnWordsEngineTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedDetector _detector = new();
    private readonly HeldAnalysisRunner _runner = new(new NegativeVoice());
    private readonly HeldRecognizer _recognizer = new();
    private readonly List<ICallEvent> _events = [];
    private readonly EngineCall _call;
    private readonly FlowCallChannel _channel;

    public TurnWordsEngineTests()
    {
        _call = new EngineCall(new EngineCallSetup("call-1", _detector, e => { lock (_events) { _events.Add(e); } }, _time)
        {
            Analysis = _runner,
            AnalysisOptions = new CallAnalysisOptions { NonSpeech = { Enabled = false } },
            Recognizer = _recognizer,
        });
        _channel = new FlowCallChannel(_call, new CallInfo("call-1", "+15550001", "+15550100", null), new InstantTransport(), new SilentSpeech(), new SilentPrompts(), "test");
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");
    }

    public void Dispose() => _call.Dispose();

    [Fact]
    public async Task The_turns_emotion_waits_for_its_words_and_then_carries_the_words_voice_label_and_the_flow_gets_the_words()
    {
        _detector.Start(0.2);
        Feed();
        _detector.Close(0.2, 1.4);
        Feed();
        Assert.Equal(1, _recognizer.Calls); // recognised once, when the speech ended
        Assert.InRange(_recognizer.Samples, 16_000, 16_000 * 2);

        _runner.Finish();
        Assert.DoesNotContain(Events(), e => e is EmotionDetected); // the analysis is back, the words are not

        _recognizer.Answer.SetResult(new RecognitionResult("this is great, thank you", 0.9, "en"));
        await Eventually.TrueAsync(() => Events().Any(e => e is EmotionDetected), TimeSpan.FromSeconds(30));

        var emotion = Assert.Single(Events().OfType<EmotionDetected>());
        Assert.Equal((1, "ambiguous_negative"), (emotion.Turn, emotion.WordsVoice)); // happy words, a negative voice
        Assert.Equal(CallerInputKind.SpeechStarted, (await _channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None))!.Value.Kind);
        var ended = (await _channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None))!.Value;
        Assert.Equal(("this is great, thank you", 0.9, "this is great, thank you"), (ended.Text, ended.Confidence, ended.Turn!.Text));
        Assert.Equal(1, _recognizer.Calls); // the flow took the words already recognised
    }

    [Fact]
    public async Task The_end_of_the_call_waits_for_an_emotion_held_for_its_words_and_publishes_it_before_CallEnded()
    {
        _detector.Start(0.2);
        Feed();
        _detector.Close(0.2, 1.4);
        Feed();
        _runner.Finish();

        var completing = _call.CompleteAsync("caller", "bye", () => Task.FromResult<FlowResult?>(null));
        Assert.False(completing.IsCompleted);
        _recognizer.Answer.SetResult(new RecognitionResult("fine", null, null));
        await completing.WaitAsync(TimeSpan.FromSeconds(30));

        var events = Events();
        Assert.IsType<CallEnded>(events[^1]);
        Assert.Single(events.OfType<EmotionDetected>());
    }

    private List<ICallEvent> Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    private void Feed() => _call.OnAudio(new float[320 * 50]);

    private sealed class NegativeVoice : ISegmentAnalyzer
    {
        public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Inference.Paralinguistics.Emotion.SpeakerBaseline? speaker = null)
        {
            var features = new AcousticFeatures(1, 0.5, 150, 1, 3, 0, -30, 5, -24, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);
            var sad = new EmotionEstimate(EmotionLabel.Sad, 0.8, -0.3, -0.6, [new EmotionScore(EmotionLabel.Sad, 0.9)], "test");
            return new SegmentAnalysis(start, TimeSpan.FromSeconds(pcm16k.Length / 16_000.0), isSpeech, features, sad, []);
        }
    }

    private sealed class HeldRecognizer : ISpeechRecognizer
    {
        public TaskCompletionSource<RecognitionResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls { get; private set; }

        public int Samples { get; private set; }

        public ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken)
        {
            Calls++;
            Samples = pcm16k.Length;
            return new ValueTask<RecognitionResult>(Answer.Task.WaitAsync(cancellationToken));
        }
    }
}
