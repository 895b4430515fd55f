using StepAudio.Telephony.Cli.Audio;

namespace StepAudio.Telephony.Cli.Tests.Audio;

public sealed class WavReaderTests
{
    [Fact]
    public void Pcm16_mono_16k_is_scaled_to_full_scale_floats()
    {
        var samples = WavReader.Decode(TestWav.Pcm16(16_000, [16384, -32768, 0]));

        Assert.Equal([0.5f, -1f, 0f], samples);
    }

    [Fact]
    public void Float_stereo_is_averaged_to_mono()
    {
        var samples = WavReader.Decode(TestWav.Float32(16_000, [0.2f, 0.4f, -1f, 0f], channels: 2));

        Assert.Equal(0.3f, samples[0], 6);
        Assert.Equal(-0.5f, samples[1], 6);
    }

    [Fact]
    public void Eight_kHz_is_interpolated_to_twice_the_samples_keeping_a_tone()
    {
        var tone = Enumerable.Range(0, 8000).Select(i => (short)(10000 * Math.Sin(2 * Math.PI * 500 * i / 8000))).ToArray();

        var samples = WavReader.Decode(TestWav.Pcm16(8_000, tone));

        Assert.Equal(16_000, samples.Length);
        // A 500 Hz tone at 16 kHz: 32 samples per period; after the filter's settling the peak stays ≈ 10000/32768.
        var peak = samples.Skip(1000).Max();
        Assert.InRange(peak, 0.29f, 0.32f);
    }

    [Fact]
    public void A_file_sox_wrote_reads_as_sox_decodes_it()
    {
        using var dir = new TempDirectory();
        var wav = dir.File("tone.wav");
        ExternalTool.Run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "synth", "0.1", "sine", "300", "vol", "0.5");

        var samples = WavReader.ReadMono16k(wav);

        Assert.Equal(1600, samples.Length);
        Assert.InRange(samples.Max(), 0.49f, 0.51f);
    }

    [Theory]
    [InlineData(1, 8, 16_000, "format 1 with 8 bits")]
    [InlineData(7, 8, 8_000, "format 7")]
    [InlineData(1, 16, 44_100, "44100 Hz")]
    public void Unsupported_formats_are_refused_saying_what_the_file_holds(ushort format, int bits, int rate, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => WavReader.Decode(TestWav.Build(format, 1, rate, bits, new byte[64])));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_wave_file_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => WavReader.Decode("hello world, not audio"u8));
    }
}
