using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

public sealed class LogMelFrontEndTests
{
    [Fact]
    public void Frame_count_follows_kaldi_snip_edges()
    {
        var frontEnd = new LogMelFrontEnd(80, windowMs: 25, hopMs: 10);

        Assert.Equal(400, frontEnd.WindowSamples);
        Assert.Equal(160, frontEnd.HopSamples);
        // 1 s: 1 + (16000 − 400) / 160 = 98 frames (kaldi's count with snip_edges = true).
        Assert.Equal(98, frontEnd.FrameCount(16_000));
        Assert.Equal(1, frontEnd.FrameCount(100));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    [InlineData(3000)]
    public void A_tone_peaks_in_the_mel_band_centred_nearest_its_frequency(double hz)
    {
        const int Bins = 40;
        var frontEnd = new LogMelFrontEnd(Bins, 25, 10);
        var tone = Enumerable.Range(0, 4000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 16_000))).ToArray();
        var output = new float[frontEnd.FrameCount(tone.Length) * Bins];

        frontEnd.Compute(tone, output);

        // Band centres are equally spaced on the mel scale from 20 Hz to 8 kHz (1127·ln(1 + f/700)).
        static double Mel(double f) => 1127 * Math.Log(1 + (f / 700));
        var delta = (Mel(8000) - Mel(20)) / (Bins + 1);
        var expected = (int)Math.Round(((Mel(hz) - Mel(20)) / delta) - 1);
        var frame = output.AsSpan(5 * Bins, Bins).ToArray();
        var peak = Array.IndexOf(frame, frame.Max());
        Assert.InRange(peak, expected - 1, expected + 1);
    }

    [Fact]
    public void Silence_sits_at_the_log_floor_and_never_at_minus_infinity()
    {
        var frontEnd = new LogMelFrontEnd(23, 32, 10);
        var output = new float[frontEnd.FrameCount(1600) * 23];

        frontEnd.Compute(new float[1600], output);

        Assert.All(output, v => Assert.Equal(MathF.Log(1.1920929e-07f), v, 4));
    }
}
