using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

public sealed class AcousticFeatureExtractorTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    private readonly AcousticFeatureExtractor _extractor = new(telephoneBandPitch: false);
    private readonly AcousticFeatureExtractor _telephoneBand = new();

    [Theory]
    [InlineData(70)]
    [InlineData(150)]
    [InlineData(220)]
    [InlineData(440)]
    public void Pitch_of_a_sox_sine_is_its_frequency(int hz)
    {
        var tone = corpus.Synth($"sine{hz}", "synth", "1", "sine", hz.ToString(System.Globalization.CultureInfo.InvariantCulture), "vol", "0.5");

        var features = _extractor.Extract(tone);

        Assert.InRange(features.PitchMeanHz, hz * 0.98, hz * 1.02);
        Assert.InRange(features.PitchStdSemitones, 0, 0.2);

        // One second of tone in a two-second clip (0.5 s of silence each side).
        Assert.InRange(features.VoicedFraction, 0.45, 0.55);
    }

    [Fact]
    public void Espeak_voice_at_pitch_80_measures_higher_than_at_pitch_20()
    {
        var low = _extractor.Extract(corpus.Speech("-p", "20"));
        var high = _extractor.Extract(corpus.Speech("-p", "80"));

        Assert.True(high.PitchMeanHz > low.PitchMeanHz * 1.3, $"-p 80: {high.PitchMeanHz:F0} Hz, -p 20: {low.PitchMeanHz:F0} Hz");
        Assert.InRange(low.PitchMeanHz, 60, 500);
    }

    [Fact]
    public void Espeak_at_250_words_per_minute_measures_faster_than_at_100()
    {
        var slow = _extractor.Extract(corpus.Speech("-s", "100"));
        var fast = _extractor.Extract(corpus.Speech("-s", "250"));

        Assert.True(fast.SpeakingRateSyllablesPerSecond > slow.SpeakingRateSyllablesPerSecond * 1.2,
            $"-s 250: {fast.SpeakingRateSyllablesPerSecond:F2}/s, -s 100: {slow.SpeakingRateSyllablesPerSecond:F2}/s");

        // The sentence has 20 syllables: plausible speech rates, not frame counts.
        Assert.InRange(slow.SpeakingRateSyllablesPerSecond, 1.5, 6);
        Assert.InRange(fast.SpeakingRateSyllablesPerSecond, 3, 10);
    }

    [Fact]
    public void Quarter_volume_lowers_the_levels_by_12_dB()
    {
        var speech = corpus.Speech();
        var full = _extractor.Extract(speech);
        var quarter = _extractor.Extract(SoundRecipes.Gain(speech, 0.25));

        var expected = 20 * Math.Log10(0.25);
        Assert.InRange(quarter.EnergyPeakDbfs - full.EnergyPeakDbfs, expected - 0.5, expected + 0.5);
        Assert.InRange(quarter.EnergyMeanDbfs - full.EnergyMeanDbfs, expected - 1, expected + 1);
    }

    [Fact]
    public void Sine_level_is_its_rms_in_dBFS()
    {
        // A 0.5-amplitude sine has an RMS of 0.5/√2: −9.03 dBFS.
        var features = _extractor.Extract(corpus.Synth("sine150", "synth", "1", "sine", "150", "vol", "0.5"));

        Assert.InRange(features.EnergyPeakDbfs, -9.5, -8.5);
    }

    [Fact]
    public void Tone_has_far_more_harmonics_to_noise_and_far_less_flatness_than_white_noise()
    {
        var tone = _extractor.Extract(corpus.Synth("sine150", "synth", "1", "sine", "150", "vol", "0.5"));
        var noise = _extractor.Extract(corpus.Synth("white", "synth", "2", "whitenoise", "vol", "0.3"));

        Assert.True(tone.HarmonicsToNoiseDb > noise.HarmonicsToNoiseDb + 20, $"tone {tone.HarmonicsToNoiseDb:F1} dB, noise {noise.HarmonicsToNoiseDb:F1} dB");
        Assert.True(tone.HarmonicsToNoiseDb > 20);
        Assert.True(noise.SpectralFlatness > 0.4, $"noise flatness {noise.SpectralFlatness:F3}");
        Assert.True(tone.SpectralFlatness < 0.05, $"tone flatness {tone.SpectralFlatness:F3}");
        Assert.Equal(0, noise.VoicedFraction);
    }

    [Fact]
    public void White_noise_has_no_tilt_and_brown_noise_falls_6_dB_per_octave()
    {
        var white = _extractor.Extract(corpus.Synth("white", "synth", "2", "whitenoise", "vol", "0.3"));
        var brown = _extractor.Extract(corpus.Synth("brown", "synth", "2", "brownnoise", "vol", "0.3"));

        Assert.InRange(white.SpectralTiltDbPerOctave, -1.5, 1.5);

        // Brown noise is 1/f²: −6 dB per octave.
        Assert.InRange(brown.SpectralTiltDbPerOctave, -8, -4);
    }

    [Fact]
    public void A_400_ms_gap_between_two_tones_is_one_pause_and_a_100_ms_gap_none()
    {
        var tone = Enumerable.Range(0, 8_000).Select(n => 0.5f * (float)Math.Sin(2 * Math.PI * 200 * n / 16_000)).ToArray();
        var gap400 = new float[6_400];
        var gap100 = new float[1_600];
        float[] withLongGap = [.. tone, .. gap400, .. tone];
        float[] withShortGap = [.. tone, .. gap100, .. tone];

        var longGap = _extractor.Extract(withLongGap);
        var shortGap = _extractor.Extract(withShortGap);

        Assert.Equal(1, longGap.PauseCount);

        // The 32 ms frames smear each edge by half a frame: the measured gap is 0.4 s minus up to ~0.035 s.
        Assert.InRange(longGap.PauseFraction * longGap.DurationSeconds, 0.33, 0.41);
        Assert.Equal(0, shortGap.PauseCount);
    }

    [Fact]
    public void Decaying_sigh_has_a_falling_energy_slope_and_five_pulse_laugh_has_five_onsets()
    {
        var sigh = _extractor.Extract(corpus.Vocal("sigh"));
        var laugh = _extractor.Extract(corpus.Vocal("laugh"));

        Assert.True(sigh.EnergySlopeDbPerSecond < -8, $"sigh slope {sigh.EnergySlopeDbPerSecond:F1} dB/s");
        Assert.Equal(5, (int)Math.Round(laugh.BurstRatePerSecond * laugh.DurationSeconds));
    }

    [Fact]
    public void Falling_sweep_has_a_negative_pitch_slope_of_the_right_size()
    {
        // 300 → 150 Hz exponentially over 1 s: −12 semitones per second.
        var sweep = _extractor.Extract(corpus.Synth("sweep", "synth", "1", "sine", "300:150", "vol", "0.5"));

        Assert.InRange(sweep.PitchSlopeSemitonesPerSecond, -13.5, -10.5);
        Assert.InRange(sweep.PitchRangeSemitones, 9, 12.5);
    }

    [Fact]
    public void Span_pitch_is_the_loud_voice_not_the_mean_of_a_quiet_low_tail()
    {
        // 0.6 s of a 222 Hz harmonic voice, then 0.8 s of a 167 Hz one 30 dB quieter (a creaky phrase end), in the
        // telephone band the analyzer searches: every frame is voiced, so the mean would be near 190 Hz and the median
        // of all voiced frames 167 Hz. The span's pitch is the loud voice's.
        // (Periods of whole samples at the tracker's 8 kHz, 36 and 48: a synthetic voice without jitter has an equally
        // deep dip at twice a fractional period, which reads it an octave low; real voices do not.)
        const double loudHz = 8_000 / 36.0, quietHz = 8_000 / 48.0;
        float[] pcm = [.. new float[3_200], .. Harmonic(loudHz, 0.6, 0.3), .. Harmonic(quietHz, 0.8, 0.3 * 0.0316), .. new float[3_200]];

        var features = _telephoneBand.Extract(pcm);

        Assert.InRange(features.VoicedFraction, 0.7, 0.95); // the quiet part is voiced too: the premise
        Assert.InRange(features.PitchMeanHz, loudHz * 0.98, loudHz * 1.02);
    }

    /// <summary>A pulse-like voice: harmonics 1–12 of <paramref name="hz"/> at 1/k amplitude, <paramref name="seconds"/> long.</summary>
    private static float[] Harmonic(double hz, double seconds, double amplitude) =>
        [.. Enumerable.Range(0, (int)(seconds * 16_000)).Select(n => (float)(amplitude / 3 * Enumerable.Range(1, 12).Sum(k => Math.Sin(2 * Math.PI * k * hz * n / 16_000) / k)))];

    [Fact]
    public void Clipped_audio_reports_its_clipped_share()
    {
        // Speech amplified 20× and hard-limited at ±1, as an overdriven handset does.
        var clipped = corpus.Speech().Select(s => Math.Clamp(s * 20, -1f, 1f)).ToArray();
        var expected = clipped.Count(s => Math.Abs(s) >= 0.99f) / (double)clipped.Length;

        var features = _extractor.Extract(clipped);

        Assert.True(expected > 0.05);
        Assert.Equal(expected, features.ClippedFraction, 3);
    }
}
