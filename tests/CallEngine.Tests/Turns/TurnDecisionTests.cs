using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallEngine.Tests.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Tests.Turns;

/// <summary>
/// The turn is the unit: a flow deciding on a turn sees that turn's analysis, waited for up to the configured bound,
/// and <c>unknown</c> when it is still not there, never the previous turn's. On a clock only the test moves.
/// </summary>
public sealed class TurnDecisionTests : IDisposable
{
    private static readonly EmotionEstimate Angry = Estimate(EmotionLabel.Angry);
    private static readonly EmotionEstimate Happy = Estimate(EmotionLabel.Happy);

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedDetector _detector = new();
    private readonly SwitchableAnalyzer _analyzer = new();
    private readonly HeldAnalysisRunner _runner;
    private readonly List<ICallEvent> _events = [];
    private readonly EngineCall _call;
    private readonly FlowCallChannel _channel;

    public TurnDecisionTests()
    {
        _runner = new HeldAnalysisRunner(_analyzer);
        _call = new EngineCall(new EngineCallSetup("call-1", _detector, _events.Add, _time)
        {
            Analysis = _runner,
            AnalysisOptions = new CallAnalysisOptions { NonSpeech = { Enabled = false } },
        });
        _channel = new FlowCallChannel(_call, new CallInfo("call-1", "+15550001", "+15550100", null), new InstantTransport(), new SilentSpeech(), new SilentPrompts(), "test");
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");
    }

    public void Dispose() => _call.Dispose();

    [Fact]
    public async Task A_turn_whose_analysis_is_done_in_time_is_decided_with_its_own_emotion()
    {
        Speak(0.2, 0.8);
        _analyzer.Next = Angry;
        var taking = _channel.NextInputAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();
        Assert.False(taking.IsCompleted); // the flow waits for the turn's analysis…

        _runner.Finish(); // …which lands within the bound: no clock time passes

        var input = (await taking.WaitAsync(TimeSpan.FromSeconds(30)))!.Value;
        Assert.Equal(CallerInputKind.SpeechEnded, input.Kind);
        Assert.Equal((1, TurnAnalysis.Done, "angry"), (input.Turn!.Number, input.Turn.Analysis, input.Turn.EmotionName));
        Assert.Equal("angry", _channel.Signals.Emotion);
        Assert.Equal(TimeSpan.Zero, _time.Now);
    }

    [Fact]
    public async Task A_late_analysis_reads_unknown_after_the_bound_never_the_previous_turns_value()
    {
        Speak(0.2, 0.8);
        _analyzer.Next = Angry;
        _runner.Finish();
        Assert.Equal("angry", (await _channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None))!.Value.Turn!.EmotionName);

        Speak(2.2, 2.9); // the second turn's analysis is held: slower than the bound
        var taking = _channel.NextInputAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();
        Assert.Equal("unknown", _channel.Signals.Emotion); // not "angry": that was turn 1
        Assert.True(_time.TryAdvanceToNextTimer());

        var turn = (await taking.WaitAsync(TimeSpan.FromSeconds(30)))!.Value.Turn!;
        Assert.Equal((2, TurnAnalysis.NotReady, "unknown"), (turn.Number, turn.Analysis, turn.EmotionName));
        Assert.Equal(TimeSpan.FromMilliseconds(150), _time.Now); // the default bound, after the turn's end

        _analyzer.Next = Happy;
        _runner.Finish();
        Assert.Equal("happy", _channel.Signals.Emotion); // it counts once it is there
    }

    [Fact]
    public void Events_about_a_turn_carry_its_number()
    {
        Speak(0.2, 0.8);
        _analyzer.Next = Angry;
        _runner.Finish();
        _channel.ClearInput(); // the flow did not take turn 1
        Speak(2.2, 2.9);
        _runner.Finish();

        Assert.Equal([1, 2], _events.OfType<SpeechSegmentDetected>().Select(e => e.Turn));
        Assert.Equal([1, 2], _events.OfType<EmotionDetected>().Select(e => e.Turn));
    }

    [Fact]
    public async Task Speech_too_short_to_be_a_turn_is_reported_as_dropped()
    {
        _detector.Start(0.5);
        Feed();
        _detector.Drop();
        Feed();

        Assert.Equal(CallerInputKind.SpeechStarted, (await _channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None))!.Value.Kind);
        Assert.Equal(CallerInputKind.SpeechDropped, (await _channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None))!.Value.Kind);
        Assert.Empty(_events.OfType<SpeechSegmentDetected>());
    }

    private static EmotionEstimate Estimate(EmotionLabel label) => new(label, 0.8, 0.5, -0.2, [new EmotionScore(label, 0.9)], "test");

    private void Speak(double from, double to)
    {
        _detector.Start(from);
        Feed();
        _detector.Close(from, to);
        Feed();
        Assert.True(_channel.NextInputAsync(TimeSpan.Zero, CancellationToken.None).AsTask().Result is { Kind: CallerInputKind.SpeechStarted });
    }

    private void Feed() => _call.OnAudio(new float[320 * 50]); // one second of audio per decision

    private sealed class SwitchableAnalyzer : ISegmentAnalyzer
    {
        public EmotionEstimate Next { get; set; } = Angry;

        public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Inference.Paralinguistics.Emotion.SpeakerBaseline? speaker = null)
        {
            var features = new AcousticFeatures(1, 0.5, 150, 1, 3, 0, -30, 5, -24, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);
            return new SegmentAnalysis(start, TimeSpan.FromSeconds(pcm16k.Length / 16_000.0), isSpeech, features, Next, []);
        }
    }
}
