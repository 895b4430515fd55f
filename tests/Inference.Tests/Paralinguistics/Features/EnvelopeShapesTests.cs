using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>The envelope and voicing summary on sounds whose answer is known by construction.</summary>
public sealed class EnvelopeShapesTests
{
    private const int Rate = 16_000;
    private readonly AcousticFeatureExtractor _extractor = new();

    [Fact]
    public void A_train_of_voiced_pulses_at_5_Hz_is_rhythmic_with_five_voiced_runs_a_second()
    {
        // Laughter-like: 80 ms voiced pulses (a 150 Hz tone with harmonics) every 200 ms for 1.6 s.
        var audio = new float[2 * Rate];
        for (var pulse = 0; pulse < 8; pulse++)
        {
            Voiced(audio, (0.2 + (pulse * 0.2)) * Rate, 0.08 * Rate, 150);
        }

        var envelope = _extractor.Extract(audio).Envelope!;
        var steady = Steady(150);

        Assert.InRange(envelope.EnvelopeRhythm, 0.5, 1);
        Assert.InRange(steady.EnvelopeRhythm, 0, 0.3);
        Assert.InRange(envelope.VoicedRunsPerSecond, 4, 6.5);
        Assert.InRange(steady.VoicedRunsPerSecond, 0, 1.5);
        Assert.True(envelope.VoicedRunMeanSeconds < steady.VoicedRunMeanSeconds / 5, $"{envelope.VoicedRunMeanSeconds} vs {steady.VoicedRunMeanSeconds}");
        Assert.True(envelope.ActiveShare < 0.7, $"pulses fill {envelope.ActiveShare:P0} of their extent");
        Assert.InRange(steady.ActiveShare, 0.95, 1);
    }

    [Fact]
    public void Noise_is_unvoiced_and_aperiodic_while_a_vowel_is_voiced_and_periodic()
    {
        var noise = new float[Rate];
        var random = new Random(3);
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)((random.NextDouble() - 0.5) * 0.4);
        }

        var breath = _extractor.Extract(noise).Envelope!;
        var vowel = Steady(180);

        Assert.InRange(breath.ActiveVoicedFraction, 0, 0.1);
        Assert.InRange(vowel.ActiveVoicedFraction, 0.9, 1);
        Assert.True(vowel.PeriodicityMean > breath.PeriodicityMean + 0.4, $"vowel {vowel.PeriodicityMean:F2}, noise {breath.PeriodicityMean:F2}");
        Assert.InRange(vowel.PitchJumpSemitones, 0, 0.5);
        Assert.Equal(EnvelopeShape.Coefficients, vowel.CepstrumMean.Count);

        // A bright spectrum (white noise) and a dark one (a 180 Hz voice with falling harmonics) differ in c1.
        Assert.True(Math.Abs(vowel.CepstrumMean[0] - breath.CepstrumMean[0]) > 3, $"c1 {vowel.CepstrumMean[0]:F1} vs {breath.CepstrumMean[0]:F1}");
    }

    [Fact]
    public void Silence_gives_an_all_zero_summary()
    {
        var envelope = _extractor.Extract(new float[Rate]).Envelope!;

        Assert.Equal(0, envelope.EnvelopeRhythm);
        Assert.Equal(0, envelope.VoicedRunsPerSecond);
        Assert.All(envelope.CepstrumDelta, d => Assert.Equal(0, d));
    }

    private EnvelopeShape Steady(double hz)
    {
        var audio = new float[2 * Rate];
        Voiced(audio, 0.2 * Rate, 1.6 * Rate, hz);
        return _extractor.Extract(audio).Envelope!;
    }

    /// <summary>Adds a voiced sound: five harmonics of <paramref name="hz"/>, falling 6 dB each, with 5 ms ramps.</summary>
    private static void Voiced(float[] audio, double start, double length, double hz)
    {
        var ramp = 0.005 * Rate;
        for (var n = 0; n < (int)length; n++)
        {
            var gain = Math.Min(1, Math.Min(n / ramp, (length - n) / ramp));
            double sample = 0;
            for (var h = 1; h <= 5; h++)
            {
                sample += Math.Pow(0.5, h - 1) * Math.Sin(2 * Math.PI * hz * h * n / Rate);
            }

            audio[(int)start + n] += (float)(0.3 * gain * sample);
        }
    }
}
