using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Emotion;

public sealed class AcousticEmotionEstimatorTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    // espeak-ng renditions of one sentence: sad = low pitch, slow, quiet; agitated = high pitch, fast, loud.
    private static readonly string[] SadVoice = ["-p", "15", "-s", "110", "-a", "40"];
    private static readonly string[] AgitatedVoice = ["-p", "70", "-s", "220", "-a", "200"];

    // The hand-written rules were tuned on full-band pitch (SegmentAnalyzers composes them so).
    private readonly AcousticFeatureExtractor _extractor = new(telephoneBandPitch: false);
    private readonly AcousticEmotionEstimator _estimator = new();

    [Fact]
    public void Sad_rendition_is_low_arousal_and_labelled_sad_or_ambiguous()
    {
        var estimate = _estimator.Estimate(_extractor.Extract(corpus.Speech(SadVoice)));

        Assert.True(estimate.Arousal < -0.2, $"{estimate with { Scores = [] }}");
        Assert.True(estimate.Valence < 0, $"{estimate with { Scores = [] }}");
        Assert.Contains(estimate.Label, new[] { EmotionLabel.Sad, EmotionLabel.Ambiguous });
    }

    [Fact]
    public void Agitated_rendition_is_high_arousal_and_labelled_angry_happy_or_ambiguous()
    {
        var sad = _estimator.Estimate(_extractor.Extract(corpus.Speech(SadVoice)));
        var agitated = _estimator.Estimate(_extractor.Extract(corpus.Speech(AgitatedVoice)));

        Assert.True(agitated.Arousal > 0.2, $"{agitated with { Scores = [] }}");
        Assert.True(agitated.Arousal > sad.Arousal + 0.5);
        Assert.Contains(agitated.Label, new[] { EmotionLabel.Angry, EmotionLabel.Happy, EmotionLabel.Ambiguous });
    }

    [Fact]
    public void Estimates_are_explainable_every_label_scored_highest_first_from_the_acoustic_source()
    {
        var estimate = _estimator.Estimate(_extractor.Extract(corpus.Speech()));

        Assert.Equal("acoustic", estimate.Source);
        Assert.Equal(5, estimate.Scores.Count);
        Assert.Equal(5, estimate.Scores.Select(s => s.Label).Distinct().Count());
        Assert.DoesNotContain(estimate.Scores, s => s.Label == EmotionLabel.Ambiguous);
        Assert.Equal(estimate.Scores.OrderByDescending(s => s.Score).Select(s => s.Label), estimate.Scores.Select(s => s.Label));
        Assert.All(estimate.Scores, s => Assert.InRange(s.Score, 0, 1));
        if (estimate.Label != EmotionLabel.Ambiguous)
        {
            Assert.Equal(estimate.Scores[0].Label, estimate.Label);
        }
    }

    [Fact]
    public void Loud_voice_with_slow_low_pitch_contradicts_itself_and_is_ambiguous()
    {
        // Level +2 SD above the norm, F0 −2 SD and rate −2 SD below it: the arousal cues disagree.
        var features = Speech(level: -14, pitchHz: 150 / Math.Pow(2, 8 / 12.0), rate: 2.1);

        var estimate = _estimator.Estimate(features);

        Assert.Equal(EmotionLabel.Ambiguous, estimate.Label);
    }

    [Fact]
    public void Loud_high_fast_pressed_voice_is_angry_and_quiet_low_slow_narrow_voice_is_sad()
    {
        var angry = _estimator.Estimate(Speech(level: -14, pitchHz: 240, rate: 6.5, pitchStd: 4, range: 7, tilt: -2, hnr: 6));
        var sad = _estimator.Estimate(Speech(level: -36, pitchHz: 110, rate: 3, pitchStd: 1, range: 2, pauses: 0.35, hnr: 8));
        var happy = _estimator.Estimate(Speech(level: -20, pitchHz: 230, rate: 5.5, pitchStd: 4, range: 14, tilt: -12, hnr: 16, slope: 2));

        Assert.Equal(EmotionLabel.Angry, angry.Label);
        Assert.Equal(EmotionLabel.Sad, sad.Label);
        Assert.Equal(EmotionLabel.Happy, happy.Label);
        Assert.True(angry.Valence < 0 && happy.Valence > 0);
    }

    [Fact]
    public void Speech_at_the_norm_is_neutral()
    {
        var estimate = _estimator.Estimate(Speech(level: -26, pitchHz: 150, rate: 4.5));

        Assert.Equal(EmotionLabel.Neutral, estimate.Label);
        Assert.InRange(estimate.Arousal, -0.1, 0.1);
    }

    [Fact]
    public void A_per_call_baseline_makes_a_high_voiced_caller_calm()
    {
        var features = Speech(level: -26, pitchHz: 260, rate: 4.5);
        var baseline = EmotionNorms.TelephoneSpeech with { PitchHz = 260 };

        var population = _estimator.Estimate(features);
        var ownBaseline = new AcousticEmotionEstimator(baseline).Estimate(features);

        Assert.True(population.Arousal > ownBaseline.Arousal + 0.2);
        Assert.InRange(ownBaseline.Arousal, -0.1, 0.1);
    }

    private static AcousticFeatures Speech(
        double level, double pitchHz, double rate, double pitchStd = 2.5, double range = 7, double tilt = -10, double hnr = 10,
        double pauses = 0.15, double slope = 0) =>
        new(3, 0.5, pitchHz, pitchStd, range, slope, level, 6, level + 10, 0, hnr, 0.1, tilt, rate, 1, pauses, 3, 0);
}
