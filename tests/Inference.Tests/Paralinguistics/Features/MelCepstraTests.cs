using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>The 20-filter mel cepstrum and onset flux on sounds whose answer is known by construction.</summary>
public sealed class MelCepstraTests
{
    private const int Rate = 16_000;
    private readonly AcousticFeatureExtractor _extractor = new(melCepstrum: true);

    [Fact]
    public void The_filters_cover_the_telephone_band_with_weights_that_sum_to_one()
    {
        var perFilter = new double[MelCepstrum.Bands];
        for (var b = SpectralTables.BandFirstBin; b <= SpectralTables.BandLastBin; b++)
        {
            var rising = MelFilterBank.RisingBand[b];
            var weight = MelFilterBank.RisingWeight[b];
            Assert.InRange(weight, 0, 1);
            if (rising >= 0)
            {
                perFilter[rising] += weight;
            }

            if (rising != 0)
            {
                perFilter[(rising < 0 ? MelCepstrum.Bands : rising) - 1] += 1 - weight;
            }
        }

        // Every filter sees at least one bin's worth of the band (none is empty at the narrow low end).
        Assert.All(perFilter, w => Assert.True(w >= 1, $"filter weights {string.Join(", ", perFilter.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}"));
    }

    [Fact]
    public void Loudness_does_not_enter_the_cepstrum()
    {
        // 20 dB apart, both well above the activity floor, so the same frames are active (a quieter copy would let
        // the edge frames that barely touch the sound in, whose splatter is a real, different spectrum).
        var loud = Measure(Noise(1.5, 0.4, lowPass: 0.9));
        var quiet = Measure(Noise(1.5, 0.04, lowPass: 0.9));

        for (var k = 0; k < MelCepstrum.Coefficients; k++)
        {
            Assert.Equal(loud.Mean[k], quiet.Mean[k], 0.05);
            Assert.Equal(loud.Std[k], quiet.Std[k], 0.05);
        }
    }

    [Fact]
    public void A_dark_sound_has_a_positive_first_coefficient_and_a_bright_one_a_negative()
    {
        // Low-passed noise falls with frequency (a throat clear, a sob), differentiated noise rises (a gasp's hiss).
        var dark = Measure(Noise(1.5, 0.4, lowPass: 0.95)).Mean[0];
        var bright = Measure(Noise(1.5, 0.4, lowPass: -0.95)).Mean[0];

        Assert.True(dark > 5, $"dark c1 {dark:F1}");
        Assert.True(bright < -5, $"bright c1 {bright:F1}");
    }

    [Fact]
    public void Pulses_have_more_onset_flux_than_a_steady_or_decaying_breath()
    {
        // Laughter-like: 80 ms noise bursts every 200 ms, over a quiet floor so the gaps stay active.
        var pulses = Noise(1.6, 0.01, lowPass: 0.5);
        for (var n = 0; n < pulses.Length; n++)
        {
            var t = (n / (double)Rate) - 0.2;
            if (t >= 0 && t < 1.6 && t % 0.2 < 0.08)
            {
                pulses[n] *= 30;
            }
        }

        var pulsed = Measure(pulses);
        var steady = Measure(Noise(1.6, 0.3, lowPass: 0.5));

        Assert.True(pulsed.OnsetFluxStdDb > steady.OnsetFluxStdDb + 1, $"flux std: pulses {pulsed.OnsetFluxStdDb:F2}, steady {steady.OnsetFluxStdDb:F2}");
        Assert.True(pulsed.OnsetFluxDb > steady.OnsetFluxDb, $"flux: pulses {pulsed.OnsetFluxDb:F2}, steady {steady.OnsetFluxDb:F2}");
    }

    [Fact]
    public void Silence_gives_an_all_zero_summary()
    {
        var silence = Measure(new float[Rate]);

        Assert.All(silence.Mean.Concat(silence.Std).Concat(silence.Delta), v => Assert.Equal(0, v));
        Assert.Equal(0, silence.OnsetFluxDb);
    }

    [Fact]
    public void The_new_measures_come_last_and_the_emotion_measures_keep_their_places()
    {
        var names = ModelFeatures.Names;
        var first = names.Count - ModelFeatures.MelCepstrumNames.Count;

        Assert.Equal(ModelFeatures.MelCepstrumNames, names.Skip(first));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("mel8_delta_db", names[first - 1]);

        // Compute writes exactly as many values as there are names, the new ones included.
        var features = _extractor.Extract(Noise(1, 0.3, lowPass: 0.9));
        var values = new double[names.Count];
        ModelFeatures.Compute(features, EmotionNorms.TelephoneSpeech, values);
        Assert.Equal(features.MelCepstrum!.OnsetFluxStdDb, values[^1], 9);
        Assert.Equal(features.MelCepstrum.Mean[0], values[first], 9);
    }

    private MelCepstrum Measure(float[] audio) => _extractor.Extract(audio).MelCepstrum!;

    /// <summary>
    /// <paramref name="seconds"/> of one-pole filtered noise (y = x + a·y: a &gt; 0 darkens, a &lt; 0 brightens) from
    /// 0.2 s on, scaled to about <paramref name="amplitude"/>, with 0.3 s of silence after.
    /// </summary>
    private static float[] Noise(double seconds, double amplitude, double lowPass)
    {
        var audio = new float[(int)((seconds + 0.5) * Rate)];
        var random = new Random(11);
        double y = 0;
        var gain = amplitude * (1 - Math.Abs(lowPass));
        for (var n = 0; n < (int)(seconds * Rate); n++)
        {
            y = (random.NextDouble() - 0.5) + (lowPass * y);
            audio[(int)(0.2 * Rate) + n] = (float)(gain * y);
        }

        return audio;
    }
}
