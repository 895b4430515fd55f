using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>Inputs a call can deliver that no analysis was designed for: every measure stays finite and in range.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string> Inputs => [.. Cases.Keys];

    private static readonly Dictionary<string, Func<float[]>> Cases = new()
    {
        ["empty"] = () => [],
        ["one sample"] = () => [0.3f],
        ["159 samples"] = () => Sine(159, 200, 0.5f),
        ["digital silence 3 s"] = () => new float[48_000],
        ["full-scale square"] = () => [.. Enumerable.Range(0, 16_000).Select(n => (n / 40) % 2 == 0 ? 1f : -1f)],
        ["beyond full scale"] = () => [.. Sine(16_000, 150, 5f)],
        ["DC only"] = () => [.. Enumerable.Repeat(0.7f, 16_000)],
        ["DC plus tone"] = () => [.. Sine(16_000, 150, 0.2f).Select(s => s + 0.5f)],
        ["60 Hz hum"] = () => Sine(32_000, 60, 0.3f),
        ["4 kHz tone"] = () => Sine(16_000, 4_000, 0.3f),
        ["7.9 kHz tone"] = () => Sine(16_000, 7_900, 0.3f),
        ["white noise"] = () => Noise(32_000, 0.5f, 1),
        ["tiny noise"] = () => Noise(16_000, 1e-7f, 2),
        ["alternating ±1"] = () => [.. Enumerable.Range(0, 16_000).Select(n => n % 2 == 0 ? 1f : -1f)],
        ["single click"] = () => { var x = new float[16_000]; x[8_000] = 1; return x; },
        ["NaN and infinity in a tone"] = () => { var x = Sine(16_000, 150, 0.3f); x[100] = float.NaN; x[9_000] = float.PositiveInfinity; return x; },
        ["60 s tone and noise"] = () => [.. Sine(960_000, 180, 0.3f).Zip(Noise(960_000, 0.05f, 3), (a, b) => a + b)],
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_measure_is_finite_and_in_range(string name)
    {
        var pcm = Cases[name]();

        var features = new AcousticFeatureExtractor(melCepstrum: true).Extract(pcm);
        var emotion = new AcousticEmotionEstimator().Estimate(features);
        var events = new AcousticVocalEventDetector().Detect(pcm, TimeSpan.FromSeconds(3), features);

        double[] values =
        [
            features.DurationSeconds, features.VoicedFraction, features.PitchMeanHz, features.PitchStdSemitones,
            features.PitchRangeSemitones, features.PitchSlopeSemitonesPerSecond, features.EnergyMeanDbfs, features.EnergyStdDb,
            features.EnergyPeakDbfs, features.EnergySlopeDbPerSecond, features.HarmonicsToNoiseDb, features.SpectralFlatness,
            features.SpectralTiltDbPerOctave, features.SpeakingRateSyllablesPerSecond, features.PauseFraction,
            features.BurstRatePerSecond, features.ClippedFraction, emotion.Arousal, emotion.Valence, emotion.Confidence,
        ];
        Assert.All(values, v => Assert.True(double.IsFinite(v), $"{name}: {features}"));

        // Every measure a trained model may read, the mel cepstrum and onset flux included, before the finite guard.
        var cepstrum = features.MelCepstrum;
        Assert.True(features.DurationSeconds == 0 || cepstrum is not null, $"{name}: no mel cepstrum");
        if (cepstrum is not null)
        {
            Assert.All(cepstrum.Mean.Concat(cepstrum.Std).Concat(cepstrum.Delta).Append(cepstrum.OnsetFluxDb).Append(cepstrum.OnsetFluxStdDb),
                v => Assert.True(double.IsFinite(v), $"{name}: mel cepstrum {v}"));
        }

        var measures = new double[ModelFeatures.Names.Count];
        ModelFeatures.Compute(features, EmotionNorms.TelephoneSpeech, measures);
        Assert.All(measures, v => Assert.True(double.IsFinite(v), $"{name}: a model measure is {v}"));
        Assert.Equal(pcm.Length / 16_000.0, features.DurationSeconds, 9);
        Assert.InRange(features.VoicedFraction, 0, 1);
        Assert.InRange(features.SpectralFlatness, 0, 1);
        Assert.InRange(features.PauseFraction, 0, 1);
        Assert.InRange(features.ClippedFraction, 0, 1);
        Assert.True(features.PitchMeanHz == 0 || features.PitchMeanHz is >= 60 and <= 500, $"pitch {features.PitchMeanHz}");
        Assert.InRange(features.EnergyPeakDbfs, -100, 20);
        Assert.InRange(emotion.Confidence, 0, 1);
        Assert.InRange(emotion.Arousal, -1, 1);
        Assert.InRange(emotion.Valence, -1, 1);
        Assert.All(events, e => Assert.InRange(e.Confidence, 0, 1));
        Assert.All(events, e => Assert.True(e.Start >= TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void DC_offset_does_not_change_pitch_or_level()
    {
        var tone = Sine(16_000, 150, 0.2f);
        var offset = tone.Select(s => s + 0.5f).ToArray();
        var extractor = new AcousticFeatureExtractor();

        var plain = extractor.Extract(tone);
        var shifted = extractor.Extract(offset);

        Assert.Equal(plain.PitchMeanHz, shifted.PitchMeanHz, 1);
        Assert.Equal(plain.EnergyPeakDbfs, shifted.EnergyPeakDbfs, 1);
    }

    [Fact]
    public void Silence_and_empty_input_are_unvoiced_at_the_floor_level_with_no_events()
    {
        foreach (var pcm in new[] { Array.Empty<float>(), new float[48_000] })
        {
            var features = new AcousticFeatureExtractor().Extract(pcm);

            Assert.Equal(0, features.VoicedFraction);
            Assert.Equal(-100, features.EnergyPeakDbfs);
            Assert.Equal(EmotionLabel.Neutral, new AcousticEmotionEstimator().Estimate(features).Label);
            Assert.Empty(new AcousticVocalEventDetector().Detect(pcm, TimeSpan.Zero, features));
        }
    }

    private static float[] Sine(int length, double hz, float amplitude) =>
        [.. Enumerable.Range(0, length).Select(n => amplitude * (float)Math.Sin(2 * Math.PI * hz * n / 16_000))];

    private static float[] Noise(int length, float amplitude, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => amplitude * (float)((random.NextDouble() * 2) - 1))];
    }
}
