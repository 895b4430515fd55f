using StepAudio.Telephony.Inference.Resampling;
using Xunit.Abstractions;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Inference.Tests.Resampling;

public sealed class Downsampler16kTo8kTests(ITestOutputHelper output)
{
    [Fact]
    public void A_passband_tone_keeps_its_level_and_a_tone_above_4_2kHz_does_not_alias()
    {
        var tone = Tone(1000, 0.5, 32000);
        var alias = Tone(5000, 0.5, 32000); // would fold to 3 kHz at 8 kHz

        var toneOut = Downsample(tone).AsSpan(1000, 8000);
        var aliasOut = Downsample(alias).AsSpan(1000, 8000);
        double level = SignalMath.Db(SignalMath.ToneAmplitude(toneOut, 1000, 8000) / 0.5);
        double folded = SignalMath.Db(SignalMath.ToneAmplitude(aliasOut, 3000, 8000) / 0.5);
        output.WriteLine($"1 kHz {level:F4} dB, 5 kHz folded to 3 kHz {folded:F1} dB");

        Assert.InRange(level, -0.1, 0.1);
        Assert.True(folded < -60, $"alias at {folded:F1} dB");
    }

    [Fact]
    public void Processing_a_frame_allocates_nothing()
    {
        var downsampler = new Downsampler16kTo8k();
        var input = new float[320];
        var output = new float[160];
        downsampler.Process(input, output); // JIT and first-use costs outside the measurement

        Assert.Equal(0, Allocation.LeastOfThreeRounds(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                downsampler.Process(input, output);
            }
        }));
    }

    [Fact]
    public void Chunked_processing_with_odd_lengths_equals_one_shot_processing_exactly()
    {
        var random = new Random(1608);
        var input = Enumerable.Range(0, 6001).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var oneShot = Downsample(input);
        Assert.Equal(3001, oneShot.Length);

        var downsampler = new Downsampler16kTo8k();
        var chunked = new List<float>();
        var buffer = new float[400];
        for (int offset = 0; offset < input.Length;)
        {
            int length = Math.Min(random.Next(0, 301), input.Length - offset);
            int written = downsampler.Process(input.AsSpan(offset, length), buffer);
            chunked.AddRange(buffer.Take(written));
            offset += length;
        }

        Assert.Equal(oneShot, chunked);
    }

    [Fact]
    public void Upsampling_then_downsampling_restores_band_limited_audio()
    {
        var random = new Random(42);
        var tones = Enumerable.Range(0, 8000)
            .Select(n => (float)((0.3 * Math.Sin(2 * Math.PI * 440 * n / 8000)) + (0.2 * Math.Sin((2 * Math.PI * 2950 * n / 8000) + 1))))
            .ToArray();
        var up = new float[16000];
        new Upsampler8kTo16k().Process(tones, up);
        var back = Downsample(up);

        // Total delay: 2 × 75 samples at 16 kHz = 75 samples at 8 kHz.
        int delay = (Upsampler8kTo16k.DelaySamples + Downsampler16kTo8k.DelaySamples) / 2;
        double snr = SignalMath.Snr(tones, back, delay, 200, 7000);
        output.WriteLine($"round trip SNR {snr:F1} dB");
        Assert.True(snr > 50, $"round trip SNR {snr:F1} dB");
    }

    [Fact]
    public void Rejects_a_short_output_buffer()
    {
        Assert.Throws<ArgumentException>(() => new Downsampler16kTo8k().Process(new float[11], new float[5]));
    }

    private static float[] Tone(double frequency, double amplitude, int length) =>
        Enumerable.Range(0, length).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / 16000))).ToArray();

    private static float[] Downsample(float[] input)
    {
        var result = new float[(input.Length + 1) / 2];
        int written = new Downsampler16kTo8k().Process(input, result);
        return result.AsSpan(0, written).ToArray();
    }
}
