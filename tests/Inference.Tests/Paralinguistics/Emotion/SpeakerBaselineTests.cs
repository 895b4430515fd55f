using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Emotion;

public sealed class SpeakerBaselineTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    [Fact]
    public void Empty_baseline_is_the_population_norm()
    {
        var baseline = new SpeakerBaseline();

        Assert.Equal(EmotionNorms.TelephoneSpeech, baseline.Norms);
        Assert.Equal(0, baseline.Spans);
    }

    [Fact]
    public void Means_move_towards_the_speaker_with_population_weight_of_three_spans()
    {
        var baseline = new SpeakerBaseline();
        var span = Speech(level: -14, pitchHz: 300, rate: 6.5);

        baseline.Observe(span);
        baseline.Observe(span);
        baseline.Observe(span);

        // Three speaker spans against a prior of three: halfway in dB, in semitones (150 → 212 Hz) and in rate.
        Assert.Equal(3, baseline.Spans);
        Assert.Equal(-20, baseline.Norms.LevelDbfs.Mean, 6);
        Assert.Equal(150 * Math.Sqrt(2), baseline.Norms.PitchHz, 6);
        Assert.Equal(5.5, baseline.Norms.RateSyllablesPerSecond.Mean, 6);
        Assert.Equal(EmotionNorms.TelephoneSpeech.LevelDbfs.Spread, baseline.Norms.LevelDbfs.Spread);
    }

    [Fact]
    public void Unvoiced_spans_teach_nothing()
    {
        var baseline = new SpeakerBaseline();

        baseline.Observe(Speech(level: -14, pitchHz: 300, rate: 6.5) with { VoicedFraction = 0, PitchMeanHz = 0 });

        Assert.Equal(0, baseline.Spans);
    }

    [Fact]
    public void Against_its_own_baseline_a_monotone_low_voice_is_not_sad_but_its_quiet_slow_turn_is_lower_arousal()
    {
        // espeak's default voice is low (~105 Hz) and narrow, which the population norm reads as sad.
        var extractor = new AcousticFeatureExtractor(telephoneBandPitch: false); // as SegmentAnalyzers composes the rules
        var usual = extractor.Extract(corpus.Speech());
        var quietSlow = extractor.Extract(corpus.Speech("-s", "110", "-a", "40"));
        var baseline = new SpeakerBaseline();
        for (var i = 0; i < 12; i++)
        {
            baseline.Observe(usual);
        }

        var usualAgainstPopulation = new AcousticEmotionEstimator().Estimate(usual);
        var usualAgainstSelf = AcousticEmotionEstimator.Estimate(usual, baseline.Norms);
        var quietAgainstSelf = AcousticEmotionEstimator.Estimate(quietSlow, baseline.Norms);

        Assert.True(Math.Abs(usualAgainstSelf.Arousal) < Math.Abs(usualAgainstPopulation.Arousal) / 2,
            $"self {usualAgainstSelf.Arousal:F2}, population {usualAgainstPopulation.Arousal:F2}");
        Assert.NotEqual(EmotionLabel.Sad, usualAgainstSelf.Label);
        Assert.True(quietAgainstSelf.Arousal < usualAgainstSelf.Arousal - 0.3, $"quiet {quietAgainstSelf.Arousal:F2}, usual {usualAgainstSelf.Arousal:F2}");
    }

    private static AcousticFeatures Speech(double level, double pitchHz, double rate) =>
        new(3, 0.5, pitchHz, 2.5, 7, 0, level, 6, level + 10, 0, 10, 0.1, -10, rate, 1, 0.15, 3, 0);
}
