using StepAudio.Telephony.Inference.Resampling;
using Xunit.Abstractions;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Inference.Tests.Resampling;

public sealed class Upsampler8kTo16kTests(ITestOutputHelper output)
{
    [Fact]
    public void A_1kHz_tone_keeps_its_level_and_its_7kHz_image_is_below_60dB()
    {
        const double amplitude = 0.5;
        var input = Enumerable.Range(0, 8000).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * 1000 * n / 8000))).ToArray();
        var upsampled = Upsample(input);

        // Skip the filter's start-up and measure over 0.5 s, a whole number of periods of 1 kHz and 7 kHz.
        var steady = upsampled.AsSpan(1000, 8000);
        double tone = SignalMath.ToneAmplitude(steady, 1000, 16000);
        double image = SignalMath.ToneAmplitude(steady, 7000, 16000);
        output.WriteLine($"tone {SignalMath.Db(tone / amplitude):F4} dB, image {SignalMath.Db(image / tone):F1} dB");

        Assert.InRange(SignalMath.Db(tone / amplitude), -0.1, 0.1);
        Assert.True(SignalMath.Db(image / tone) < -60, $"image at {SignalMath.Db(image / tone):F1} dB");
    }

    [Fact]
    public void Chunked_processing_equals_one_shot_processing_exactly()
    {
        var random = new Random(8016);
        var input = Enumerable.Range(0, 5000).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var oneShot = Upsample(input);

        var upsampler = new Upsampler8kTo16k();
        var chunked = new float[2 * input.Length];
        for (int offset = 0; offset < input.Length;)
        {
            int length = Math.Min(random.Next(0, 300), input.Length - offset);
            upsampler.Process(input.AsSpan(offset, length), chunked.AsSpan(2 * offset, 2 * length));
            offset += length;
        }

        Assert.Equal(oneShot, chunked);
    }

    [Fact]
    public void Processing_a_frame_allocates_nothing()
    {
        var upsampler = new Upsampler8kTo16k();
        var input = new float[160];
        var output = new float[320];
        upsampler.Process(input, output); // JIT and first-use costs outside the measurement

        Assert.Equal(0, Allocation.LeastOfThreeRounds(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                upsampler.Process(input, output);
            }
        }));
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var upsampler = new Upsampler8kTo16k();
        var input = Enumerable.Range(0, 200).Select(n => (float)Math.Sin(n)).ToArray();
        var first = new float[400];
        var second = new float[400];
        upsampler.Process(input, first);
        upsampler.Reset();
        upsampler.Process(input, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Odd_outputs_are_the_input_delayed_and_the_delay_is_as_documented()
    {
        var impulse = new float[200];
        impulse[10] = 1;
        var response = Upsample(impulse);

        int peak = Array.IndexOf(response, response.Max());
        Assert.Equal((2 * 10) + Upsampler8kTo16k.DelaySamples, peak);
        Assert.Equal(1f, response[peak]);
    }

    [Fact]
    public void Rejects_a_short_output_buffer()
    {
        Assert.Throws<ArgumentException>(() => new Upsampler8kTo16k().Process(new float[10], new float[19]));
    }

    [Fact]
    public void Two_tones_match_sox()
    {
        var pcm = Enumerable.Range(0, 16000)
            .Select(n => (short)Math.Round(8000 * (Math.Sin(2 * Math.PI * 1000 * n / 8000) + Math.Sin(2 * Math.PI * 3000 * n / 8000))))
            .ToArray();
        double snr = CompareWithSox(pcm);
        Assert.True(snr >= 40, $"SNR vs sox {snr:F1} dB");
    }

    [Fact]
    public void Speech_matches_sox()
    {
        using var temp = new TempDirectory();
        ExternalTool.Run("espeak-ng", "-w", temp.File("speech.wav"),
            "The quick brown fox jumps over the lazy dog, she said, and sold six fresh fish.");
        ExternalTool.Run("sox", "-D", temp.File("speech.wav"), "-t", "raw", "-r", "8000", "-c", "1", "-b", "16",
            "-e", "signed-integer", "-L", temp.File("speech8k.raw"));
        var pcm = RawAudio.ReadInt16(temp.File("speech8k.raw"));
        Assert.True(pcm.Length >= 16000, $"espeak-ng produced only {pcm.Length} samples");

        double snr = CompareWithSox(pcm);
        Assert.True(snr >= 30, $"SNR vs sox {snr:F1} dB");
    }

    private double CompareWithSox(short[] pcm8k)
    {
        using var temp = new TempDirectory();
        RawAudio.WriteInt16(temp.File("in.raw"), pcm8k);
        ExternalTool.Run("sox", "-D", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L",
            temp.File("in.raw"), "-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L",
            temp.File("out.raw"));
        var reference = SignalMath.ToFloat(RawAudio.ReadInt16(temp.File("out.raw")));
        var ours = Upsample(SignalMath.ToFloat(pcm8k));

        // The two filters have different group delays; align on the correlation peak and skip both ends.
        int lag = SignalMath.BestLag(reference, ours, maxLag: 200);
        int margin = 400;
        double snr = SignalMath.Snr(reference, ours, lag, margin, Math.Min(reference.Length, ours.Length - lag) - margin);
        output.WriteLine($"lag {lag}, SNR {snr:F2} dB");
        return snr;
    }

    private static float[] Upsample(float[] input)
    {
        var result = new float[2 * input.Length];
        new Upsampler8kTo16k().Process(input, result);
        return result;
    }
}
