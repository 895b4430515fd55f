using System.Buffers.Binary;
using StepAudio.Telephony.Inference.Audio;

namespace StepAudio.Telephony.Inference.Tests.Audio;

public sealed class WavCodecTests
{
    [Fact]
    public void Encoded_audio_decodes_to_the_same_samples_and_rate()
    {
        var samples = Enumerable.Range(0, 1600).Select(i => (float)Math.Sin(i * 0.05) * 0.5f).ToArray();
        var wav = WavCodec.Encode(samples, 16_000);

        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(44 + (2 * samples.Length), wav.Length);
        var (decoded, rate) = WavCodec.Decode(wav);
        Assert.Equal(16_000, rate);
        Assert.Equal(samples.Length, decoded.Length);
        Assert.All(samples.Zip(decoded), pair => Assert.Equal(pair.First, pair.Second, 1e-4));
    }

    [Fact]
    public void Stereo_is_averaged_and_an_open_data_size_reads_to_the_end()
    {
        var wav = WavCodec.Encode(new float[4], 24_000);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44), 16384);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(46), 0);

        var (decoded, rate) = WavCodec.Decode(wav);

        Assert.Equal(24_000, rate);
        Assert.Equal(2, decoded.Length);
        Assert.Equal(0.25f, decoded[0], 1e-4);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' })]
    public void Garbage_is_rejected_with_invalid_data(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => WavCodec.Decode(bytes));
    }
}
