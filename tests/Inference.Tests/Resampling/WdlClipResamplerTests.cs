using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Tests.Resampling;

public sealed class WdlClipResamplerTests
{
    [Theory]
    [InlineData(44_100, 16_000)]
    [InlineData(48_000, 16_000)]
    [InlineData(22_050, 8_000)]
    [InlineData(8_000, 16_000)]
    public void A_tone_keeps_its_frequency_and_level_and_the_clip_its_length(int from, int to)
    {
        var tone = Tone(1000, from, seconds: 1);

        var output = WdlClipResampler.Resample(tone, from, to);

        // Measured: exactly the count the rates give; a little slack for the resampler's rounding of their ratio.
        Assert.InRange(output.Length, to - 32, to + 32);
        var middle = output.AsSpan(to / 10, to * 8 / 10);
        Assert.InRange(SignalMath.ToneAmplitude(middle, 1000, to), 0.45, 0.55);
        Assert.True(SignalMath.ToneAmplitude(middle, 1100, to) < 0.02, "the tone moved");
    }

    [Theory]
    [InlineData(9_000)]
    [InlineData(10_000)]
    [InlineData(12_000)]
    [InlineData(14_000)]
    public void What_would_fold_back_below_the_new_nyquist_is_filtered_out(int hertz)
    {
        var output = WdlClipResampler.Resample(Tone(hertz, 44_100, seconds: 1), 44_100, 16_000);

        // A tone at f above 8 kHz would fold back to 16 kHz − f. Measured −85 dB or less (the sinc filter; the IIR
        // filters of NAudio's WdlResamplingSampleProvider left −22 dB at 9 kHz).
        var folded = SignalMath.Db(SignalMath.ToneAmplitude(output.AsSpan(1600, 12_800), 16_000 - hertz, 16_000) / 0.5);
        Assert.True(folded < -60, $"{hertz} Hz folded back to {16_000 - hertz} Hz at {folded:F1} dB");
    }

    [Theory]
    [InlineData(16_000, 3_400)]
    [InlineData(16_000, 6_000)]
    [InlineData(16_000, 7_000)]
    [InlineData(8_000, 3_000)]
    [InlineData(8_000, 3_400)]
    public void The_band_below_the_new_nyquist_stays_flat(int to, int hertz)
    {
        var output = WdlClipResampler.Resample(Tone(hertz, 44_100, seconds: 1), 44_100, to);

        // Measured −0.16 dB at most to 16 kHz and −0.03 dB at 3.4 kHz to 8 kHz; 128 taps at this 5.5:1 step lost
        // 0.91 dB there, and the IIR filters 7.7 dB at 3 kHz and 10.6 dB at 3.4 kHz.
        var level = SignalMath.Db(SignalMath.ToneAmplitude(output.AsSpan(to / 10, to * 8 / 10), hertz, to) / 0.5);
        Assert.InRange(level, -0.3, 0.2);
    }

    [Theory]
    [InlineData(24_000, 5_000)] // a speech endpoint's rate
    [InlineData(22_050, 4_600)]
    [InlineData(44_100, 4_600)] // prompts recorded for CD or video
    [InlineData(48_000, 4_600)]
    [InlineData(48_000, 7_000)]
    public void Nothing_folds_back_into_the_telephone_band(int from, int hertz)
    {
        var output = WdlClipResampler.Resample(Tone(hertz, from, seconds: 1), from, 8_000);

        // A tone at f above 4 kHz folds back to 8 kHz − f, inside 0.3–3.4 kHz for these. Measured −103 dB or less
        // (the clip-resamplers benchmark); 128 taps at 44.1 or 48 to 8 kHz left 4.6 kHz only 29–32 dB down.
        var folded = SignalMath.Db(SignalMath.ToneAmplitude(output.AsSpan(800, 6_400), 8_000 - hertz, 8_000) / 0.5);
        Assert.True(folded < -80, $"{hertz} Hz from {from} Hz folded back to {8_000 - hertz} Hz at {folded:F1} dB");
    }

    [Fact]
    public void A_speech_endpoints_24khz_reaches_8khz_whole_and_level()
    {
        var output = WdlClipResampler.Resample(Tone(1000, 24_000, seconds: 1), 24_000, 8_000);

        Assert.InRange(output.Length, 8_000 - 32, 8_000 + 32);
        Assert.InRange(SignalMath.ToneAmplitude(output.AsSpan(800, 6_400), 1000, 8_000), 0.49, 0.51);
    }

    [Fact]
    public void The_same_rate_is_the_same_clip()
    {
        var clip = Tone(440, 16_000, seconds: 0.1);

        Assert.Same(clip, WdlClipResampler.Resample(clip, 16_000, 16_000));
    }

    private static float[] Tone(double hertz, int rate, double seconds) =>
        [.. Enumerable.Range(0, (int)(rate * seconds)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hertz * i / rate)))];
}
