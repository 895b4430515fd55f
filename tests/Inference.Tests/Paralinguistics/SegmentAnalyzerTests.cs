using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

public sealed class SegmentAnalyzerTests
{
    private static readonly AcousticFeatures SomeFeatures = new(1, 0.5, 180, 2, 6, -1, -20, 5, -10, -3, 12, 0.2, -6, 4, 1, 0.1, 3, 0);

    [Fact]
    public void Speech_spans_get_an_emotion_and_non_speech_spans_do_not()
    {
        var fakes = new Fakes();
        var analyzer = fakes.Analyzer();

        var speech = analyzer.Analyze(new float[16_000], TimeSpan.FromSeconds(3), isSpeech: true);
        var other = analyzer.Analyze(new float[16_000], TimeSpan.FromSeconds(5), isSpeech: false);

        Assert.Equal(EmotionLabel.Angry, speech.Emotion.Label);
        Assert.Equal(EmotionLabel.Neutral, other.Emotion.Label);
        Assert.Equal(0, other.Emotion.Confidence);
        Assert.Equal(1, fakes.Estimator.Calls);
        Assert.Equal(TimeSpan.FromSeconds(1), speech.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), speech.Start);
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(other.VocalEvents).Start);
    }

    [Fact]
    public void A_turn_is_judged_against_the_callers_earlier_turns_then_joins_them()
    {
        var fakes = new Fakes();
        var analyzer = fakes.Analyzer();
        var speaker = new Inference.Paralinguistics.Emotion.SpeakerBaseline();

        analyzer.Analyze(new float[16_000], TimeSpan.Zero, isSpeech: true, speaker);
        Assert.Same(speaker, fakes.Estimator.LastSpeaker);
        Assert.Equal(0, fakes.Estimator.SpansSeenByLastEstimate); // the first turn has nothing to be compared with
        Assert.Equal(1, speaker.Spans);

        analyzer.Analyze(new float[16_000], TimeSpan.FromSeconds(2), isSpeech: true, speaker);
        Assert.Equal(1, fakes.Estimator.SpansSeenByLastEstimate);
        Assert.Equal(2, speaker.Spans);

        analyzer.Analyze(new float[16_000], TimeSpan.FromSeconds(4), isSpeech: false, speaker);
        Assert.Equal(2, speaker.Spans); // a sigh or a cough is not the caller's speaking voice
    }

    [Fact]
    public void Empty_span_is_neutral_without_calling_the_components()
    {
        var fakes = new Fakes();

        var result = fakes.Analyzer().Analyze([], TimeSpan.Zero, isSpeech: true);

        Assert.Equal(EmotionLabel.Neutral, result.Emotion.Label);
        Assert.Empty(result.VocalEvents);
        Assert.Equal(0, fakes.Extractor.Calls);
    }

    [Fact]
    public void Long_spans_are_analysed_on_their_head_and_tail_with_call_times()
    {
        var fakes = new Fakes();
        var analyzer = fakes.Analyzer(o => o.MaxAnalysisSeconds = 10);
        var audio = new float[40 * 16_000];
        audio.AsSpan(0, 5 * 16_000).Fill(0.1f);
        audio.AsSpan(35 * 16_000).Fill(0.2f);

        var result = analyzer.Analyze(audio, TimeSpan.FromSeconds(100), isSpeech: true);

        Assert.Equal(10 * 16_000, fakes.Extractor.LastLength);
        Assert.Equal([5 * 16_000, 5 * 16_000], fakes.Detector.Lengths);
        // The tail half starts 35 s into the 40 s span; its samples (0.2) must be the span's last 5 s.
        Assert.Equal([TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(135)], result.VocalEvents.Select(e => e.Start));
        Assert.Equal([0.1f, 0.2f], fakes.Detector.FirstSamples);
        Assert.Equal(TimeSpan.FromSeconds(40), result.Duration);
    }

    [Fact]
    public void Non_finite_input_and_component_outputs_never_reach_the_result()
    {
        var fakes = new Fakes { Extractor = { Result = SomeFeatures with { PitchMeanHz = double.NaN, SpectralFlatness = double.PositiveInfinity } } };
        fakes.Estimator.Result = fakes.Estimator.Result with { Arousal = double.NaN };
        float[] audio = [float.NaN, 0.5f, float.PositiveInfinity, -0.5f];

        var result = fakes.Analyzer().Analyze(audio, TimeSpan.Zero, isSpeech: true);

        Assert.Equal([0f, 0.5f, 0f, -0.5f], fakes.Extractor.LastInput);
        Assert.Equal(0, result.Features.PitchMeanHz);
        Assert.Equal(0, result.Features.SpectralFlatness);
        Assert.Equal(0, result.Emotion.Arousal);
    }

    [Fact]
    public void Replace_mode_takes_the_model_emotion_and_names_the_model_as_source()
    {
        var fakes = new Fakes();
        var classifier = new FakeClassifier(new AudioClassification(
            [new EmotionScore(EmotionLabel.Sad, 0.7), new EmotionScore(EmotionLabel.Happy, 0.3)], []));

        var result = fakes.Analyzer(o => o.Model.Mode = AudioClassifierMode.Replace, classifier).Analyze(new float[1600], TimeSpan.Zero, true);

        Assert.Equal(EmotionLabel.Sad, result.Emotion.Label);
        Assert.Equal("fake-model", result.Emotion.Source);
        Assert.Equal(0.4, result.Emotion.Confidence, 9);
        // Arousal and valence are the acoustic estimator's: the model does not give them.
        Assert.Equal(0.8, result.Emotion.Arousal);
    }

    [Theory]
    [InlineData(0.4, EmotionLabel.Angry, 0.54, 0.38)]
    [InlineData(0.8, EmotionLabel.Sad, 0.66, 0.18)]
    public void Join_mode_averages_scores_with_the_configured_weight(double weight, EmotionLabel winner, double top, double second)
    {
        // Acoustic: angry 0.9, sad 0.1. Model: sad 0.8, happy 0.2. By hand:
        //   w = 0.4: angry 0.6·0.9 = 0.54, sad 0.6·0.1 + 0.4·0.8 = 0.38, happy 0.08.
        //   w = 0.8: angry 0.2·0.9 = 0.18, sad 0.2·0.1 + 0.8·0.8 = 0.66, happy 0.16.
        var fakes = new Fakes();
        fakes.Estimator.Result = fakes.Estimator.Result with
        {
            Scores = [new EmotionScore(EmotionLabel.Angry, 0.9), new EmotionScore(EmotionLabel.Sad, 0.1)],
        };
        var classifier = new FakeClassifier(new AudioClassification(
            [new EmotionScore(EmotionLabel.Sad, 0.8), new EmotionScore(EmotionLabel.Happy, 0.2)], []));

        var result = fakes.Analyzer(o => { o.Model.Mode = AudioClassifierMode.Join; o.Model.JoinWeight = weight; }, classifier)
            .Analyze(new float[1600], TimeSpan.Zero, true);

        Assert.Equal(winner, result.Emotion.Label);
        Assert.Equal(top, result.Emotion.Scores[0].Score, 9);
        Assert.Equal(second, result.Emotion.Scores[1].Score, 9);
    }

    [Fact]
    public void Model_events_join_acoustic_ones_and_failures_keep_the_acoustic_result()
    {
        var fakes = new Fakes();
        var events = new FakeClassifier(new AudioClassification([], [new VocalEventScore(VocalEventKind.Laugh, 0.9)]));

        var joined = fakes.Analyzer(o => { o.Model.JoinWeight = 0.6; o.Model.EventThreshold = 0.5; }, events)
            .Analyze(new float[16_000], TimeSpan.FromSeconds(2), false);

        Assert.Equal([VocalEventKind.Sigh, VocalEventKind.Laugh], joined.VocalEvents.Select(e => e.Kind));
        Assert.Equal(0.6 * 0.9, joined.VocalEvents[1].Confidence, 9);
        Assert.Equal(TimeSpan.FromSeconds(1), joined.VocalEvents[1].Duration);

        var failing = fakes.Analyzer(null, new FakeClassifier(null));
        var kept = failing.Analyze(new float[1600], TimeSpan.Zero, true);
        Assert.Equal(EmotionLabel.Angry, kept.Emotion.Label);
        Assert.Equal(1, failing.ModelFailures);
    }

    private sealed class Fakes
    {
        public FakeExtractor Extractor { get; } = new();

        public FakeEstimator Estimator { get; } = new();

        public FakeDetector Detector { get; } = new();

        public SegmentAnalyzer Analyzer(Action<ParalinguisticsOptions>? configure = null, IAudioClassifier? classifier = null)
        {
            var options = new ParalinguisticsOptions();
            configure?.Invoke(options);
            return new SegmentAnalyzer(Extractor, Estimator, Detector, Options.Create(options), classifier);
        }
    }

    private sealed class FakeExtractor : IAcousticFeatureExtractor
    {
        public AcousticFeatures Result { get; set; } = SomeFeatures;

        public int Calls { get; private set; }

        public int LastLength { get; private set; }

        public float[] LastInput { get; private set; } = [];

        public AcousticFeatures Extract(ReadOnlySpan<float> pcm16k)
        {
            Calls++;
            LastLength = pcm16k.Length;
            LastInput = pcm16k.ToArray();
            return Result;
        }
    }

    private sealed class FakeEstimator : IEmotionEstimator
    {
        public EmotionEstimate Result { get; set; } = new(
            EmotionLabel.Angry, 0.2, 0.8, -0.6, [new EmotionScore(EmotionLabel.Angry, 0.6), new EmotionScore(EmotionLabel.Sad, 0.4)], "acoustic");

        public int Calls { get; private set; }

        public Inference.Paralinguistics.Emotion.SpeakerBaseline? LastSpeaker { get; private set; }

        public int SpansSeenByLastEstimate { get; private set; }

        public EmotionEstimate Estimate(AcousticFeatures features, Inference.Paralinguistics.Emotion.SpeakerBaseline? speaker = null)
        {
            Calls++;
            LastSpeaker = speaker;
            SpansSeenByLastEstimate = speaker?.Spans ?? -1;
            return Result;
        }
    }

    private sealed class FakeDetector : IVocalEventDetector
    {
        public List<int> Lengths { get; } = [];

        public List<float> FirstSamples { get; } = [];

        public IReadOnlyList<VocalEvent> Detect(ReadOnlySpan<float> pcm16k, TimeSpan start, AcousticFeatures features)
        {
            Lengths.Add(pcm16k.Length);
            FirstSamples.Add(pcm16k[0]);
            return [new VocalEvent(VocalEventKind.Sigh, start, TimeSpan.FromMilliseconds(500), 0.7)];
        }
    }

    private sealed class FakeClassifier(AudioClassification? result) : IAudioClassifier
    {
        public string Name => "fake-model";

        public AudioClassification Classify(ReadOnlySpan<float> pcm16k) =>
            result ?? throw new InvalidOperationException("model fault");
    }
}
