using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>The onset, decay, modulation, contour and contrast measures on sounds whose answer is known by construction.</summary>
public sealed class BurstDynamicsMeasureTests
{
    private const int Rate = 16_000;
    private readonly AcousticFeatureExtractor _extractor = new();

    [Fact]
    public void Pulses_at_5_Hz_put_most_of_the_envelope_s_modulation_in_the_3_to_6_Hz_band()
    {
        // Laughter-like: 80 ms voiced pulses every 200 ms for 1.6 s.
        var audio = new float[2 * Rate];
        for (var pulse = 0; pulse < 8; pulse++)
        {
            Voiced(audio, (0.2 + (pulse * 0.2)) * Rate, 0.08 * Rate, 150, 150);
        }

        var shares = Measure(audio).ModulationShares;

        Assert.Equal(BurstDynamics.ModulationBands.Count, shares.Count);
        Assert.True(shares[1] > 0.3, $"3–6 Hz share {shares[1]:F2}");
        Assert.True(shares[1] > shares[0] && shares[1] > shares[2], $"shares {string.Join(", ", shares.Select(s => s.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void A_rising_glide_has_a_rising_contour_and_a_falling_one_a_falling_contour()
    {
        // 120 → 200 Hz is 8.8 semitones; the first and last thirds' means differ by about two thirds of it.
        var rising = new float[2 * Rate];
        Voiced(rising, 0.2 * Rate, 1.5 * Rate, 120, 200);
        var falling = new float[2 * Rate];
        Voiced(falling, 0.2 * Rate, 1.5 * Rate, 200, 120);

        var up = Measure(rising).PitchContourSemitones;
        var down = Measure(falling).PitchContourSemitones;

        Assert.InRange(up, 3, 9);
        Assert.InRange(down, -9, -3);
    }

    [Fact]
    public void A_decaying_breath_decays_and_is_not_sustained_while_steady_noise_is()
    {
        // Sigh-like: noise that falls 40 dB over 1.5 s; against the same noise held steady.
        var decaying = Noise(1.5, t => Math.Pow(10, -40 * t / 1.5 / 20));
        var steady = Noise(1.5, _ => 1);

        var sigh = Measure(decaying);
        var held = Measure(steady);

        Assert.True(sigh.DecayDbPerSecond < -10, $"decay {sigh.DecayDbPerSecond:F1} dB/s");
        Assert.InRange(held.DecayDbPerSecond, -5, 5);
        Assert.True(sigh.SustainShare < 0.4, $"sustain {sigh.SustainShare:F2}");
        Assert.InRange(held.SustainShare, 0.9, 1);
    }

    [Fact]
    public void Harmonics_stand_out_of_their_band_more_than_noise_does()
    {
        var vowel = new float[2 * Rate];
        Voiced(vowel, 0.2 * Rate, 1.5 * Rate, 180, 180);

        var voice = Measure(vowel).BandContrastDb;
        var breath = Measure(Noise(1.5, _ => 1)).BandContrastDb;

        Assert.Equal(SpectralTables.BandCount, voice.Count);
        Assert.True(voice[0] > breath[0] + 6, $"lowest band: voice {voice[0]:F1} dB, noise {breath[0]:F1} dB");
    }

    [Fact]
    public void Silence_gives_an_all_zero_summary()
    {
        var silence = Measure(new float[Rate]);

        Assert.Equal(0, silence.DecayDbPerSecond);
        Assert.Equal(0, silence.PitchCurvature);
        Assert.All(silence.ModulationShares, s => Assert.Equal(0, s));
        Assert.All(silence.BandContrastDb, c => Assert.Equal(0, c));
    }

    private BurstDynamics Measure(float[] audio) => _extractor.Extract(audio).Dynamics!;

    /// <summary><paramref name="seconds"/> of noise from 0.2 s on, scaled by <paramref name="gain"/> of the time into it, with silence around.</summary>
    private static float[] Noise(double seconds, Func<double, double> gain)
    {
        var audio = new float[(int)((seconds + 0.5) * Rate)];
        var random = new Random(7);
        for (var n = 0; n < (int)(seconds * Rate); n++)
        {
            audio[(int)(0.2 * Rate) + n] = (float)((random.NextDouble() - 0.5) * 0.4 * gain(n / (double)Rate));
        }

        return audio;
    }

    /// <summary>Adds a voiced sound: five harmonics of a fundamental gliding from <paramref name="fromHz"/> to <paramref name="toHz"/> (exponentially), 5 ms ramps.</summary>
    private static void Voiced(float[] audio, double start, double length, double fromHz, double toHz)
    {
        var ramp = 0.005 * Rate;
        double phase = 0;
        for (var n = 0; n < (int)length; n++)
        {
            var gain = Math.Min(1, Math.Min(n / ramp, (length - n) / ramp));
            var hz = fromHz * Math.Pow(toHz / fromHz, n / length);
            phase += 2 * Math.PI * hz / Rate;
            double sample = 0;
            for (var h = 1; h <= 5; h++)
            {
                sample += Math.Pow(0.5, h - 1) * Math.Sin(h * phase);
            }

            audio[(int)start + n] += (float)(0.3 * gain * sample);
        }
    }
}
