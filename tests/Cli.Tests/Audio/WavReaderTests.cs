using System.Buffers.Binary;
using NAudio.Wave;
using StepAudio.Telephony.Cli.Audio;
using StepAudio.Telephony.Testing;

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
    [InlineData(44_100, 2, 1, 16)]
    [InlineData(48_000, 2, 1, 16)]
    [InlineData(22_050, 1, 1, 8)]
    [InlineData(44_100, 1, 1, 24)]
    [InlineData(48_000, 2, 1, 32)]
    [InlineData(32_000, 1, 3, 32)]
    [InlineData(44_100, 1, 3, 64)]
    [InlineData(8_000, 1, 7, 8)]
    [InlineData(8_000, 2, 6, 8)]
    [InlineData(11_025, 3, 1, 16)]
    public void Any_common_wav_becomes_16k_mono_of_the_same_length_and_pitch(int rate, int channels, int format, int bits)
    {
        using var dir = new TempDirectory();
        var wav = dir.File("tone.wav");
        File.WriteAllBytes(wav, TestWav.Coded((ushort)format, bits, rate, Tone(rate, channels, seconds: 1.0, hertz: 1000), channels));

        var samples = WavReader.ReadMono16k(wav);

        AssertOneSecondOf1kHz(samples);
    }

    [Fact]
    public void A_file_naudio_writes_as_wave_format_extensible_24_bit_stereo_reads()
    {
        using var dir = new TempDirectory();
        var wav = dir.File("extensible.wav");
        using (var writer = new WaveFileWriter(wav, new WaveFormatExtensible(48_000, 24, 2)))
        {
            writer.WriteSamples(Tone(48_000, 2, seconds: 1.0, hertz: 1000), 0, 2 * 48_000);
        }

        AssertOneSecondOf1kHz(WavReader.ReadMono16k(wav));
    }

    [Fact]
    public void Committed_8k_and_16k_clips_decode_exactly_as_the_reader_before_NAudio_did()
    {
        // The analyzer's committed floors (RealRecordingsAccuracyTests) were measured through the old reader; the
        // shared decoder must hand the analyzer the same floats for the PCM16 files it read.
        var files = Directory.GetFiles(RealRecordings.Path(), "*.wav", SearchOption.AllDirectories);
        Assert.True(files.Length >= 100, $"{files.Length} committed clips");
        Assert.Contains(files, f => ReaderBeforeNAudio.Rate(File.ReadAllBytes(f)) == 8_000);
        Assert.Contains(files, f => ReaderBeforeNAudio.Rate(File.ReadAllBytes(f)) == 16_000);
        foreach (var file in files)
        {
            Assert.Equal(ReaderBeforeNAudio.ReadMono16k(File.ReadAllBytes(file)), WavReader.ReadMono16k(file));
        }
    }

    [Fact]
    public void Adpcm_is_refused_naming_the_file_and_the_encoding()
    {
        using var dir = new TempDirectory();
        var wav = dir.File("adpcm.wav");
        var file = WaveFileBytes.Build(2, 1, 8_000, 4, new byte[512]);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), 256); // IMA/MS ADPCM blocks are 256 bytes at 8 kHz
        File.WriteAllBytes(wav, file);

        var e = Assert.Throws<InvalidDataException>(() => WavReader.ReadMono16k(wav));

        Assert.Contains(wav, e.Message, StringComparison.Ordinal);
        Assert.Contains("Adpcm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_channels_is_refused_saying_so()
    {
        var e = Assert.Throws<InvalidDataException>(() => WavReader.Decode(WaveFileBytes.Build(1, 0, 16_000, 16, new byte[64])));

        Assert.Contains("0 channels", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, "fmt chunk too short")]
    [InlineData(36, "no data chunk")]
    public void A_truncated_header_is_refused_with_the_reason(int keep, string expected)
    {
        var file = TestWav.Pcm16(16_000, new short[100])[..keep];

        var e = Assert.Throws<InvalidDataException>(() => WavReader.Decode(file));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_data_chunk_reads_the_whole_frames_there_are()
    {
        var file = TestWav.Pcm16(16_000, [.. Enumerable.Repeat((short)16384, 100)])[..(44 + 101)];

        var samples = WavReader.Decode(file);

        Assert.Equal(50, samples.Length);
        Assert.All(samples, s => Assert.Equal(0.5f, s));
    }

    [Fact]
    public void Not_a_wave_file_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => WavReader.Decode("hello world, not audio"u8));
    }

    private static float[] Tone(int rate, int channels, double seconds, double hertz) =>
        [.. Enumerable.Range(0, (int)(rate * seconds) * channels).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hertz * (i / channels) / rate)))];

    private static void AssertOneSecondOf1kHz(float[] samples)
    {
        // Measured: exactly the count the rates give; a little slack for the resampler's rounding of their ratio.
        Assert.InRange(samples.Length, 16_000 - 32, 16_000 + 32);
        var middle = samples.AsSpan(1600, 12_800);
        Assert.InRange(Amplitude(middle, 1000), 0.45, 0.55);
        Assert.True(Amplitude(middle, 1100) < 0.02, $"{Amplitude(middle, 1100):F3} at 1100 Hz: the tone moved");
        Assert.True(Amplitude(middle, 900) < 0.02, $"{Amplitude(middle, 900):F3} at 900 Hz: the tone moved");
    }

    /// <summary>Amplitude of the component at <paramref name="hertz"/> in 16 kHz audio (one DFT bin, 2/N scaling).</summary>
    private static double Amplitude(ReadOnlySpan<float> signal, double hertz)
    {
        double re = 0, im = 0;
        for (var n = 0; n < signal.Length; n++)
        {
            var phase = 2 * Math.PI * hertz * n / 16_000;
            re += signal[n] * Math.Cos(phase);
            im -= signal[n] * Math.Sin(phase);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / signal.Length;
    }
}
