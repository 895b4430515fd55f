using System.Buffers.Binary;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Cli.Tests.Audio;

/// <summary>
/// The PCM16 path of <c>WavReader</c> as it was before it used the shared NAudio decoder (commit 0d800e0): the
/// reference the committed clips must still decode to, float for float.
/// </summary>
internal static class ReaderBeforeNAudio
{
    public static int Rate(byte[] file) => BinaryPrimitives.ReadInt32LittleEndian(Chunk(file, "fmt ")[4..]);

    public static float[] ReadMono16k(byte[] file)
    {
        var fmt = Chunk(file, "fmt ");
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(fmt));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]));
        var data = Chunk(file, "data");
        var mono = new float[data.Length / (2 * channels)];
        for (var i = 0; i < mono.Length; i++)
        {
            float sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(data[(((i * channels) + c) * 2)..]) / 32768f;
            }

            mono[i] = sum / channels;
        }

        if (Rate(file) == 16_000)
        {
            return mono;
        }

        Assert.Equal(8_000, Rate(file));
        var wide = new float[2 * mono.Length];
        new Upsampler8kTo16k().Process(mono, wide);
        return wide;
    }

    private static ReadOnlySpan<byte> Chunk(byte[] file, string id)
    {
        var at = 12;
        while (at + 8 <= file.Length)
        {
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4)), (uint)(file.Length - at - 8));
            if (System.Text.Encoding.ASCII.GetString(file, at, 4) == id)
            {
                return file.AsSpan(at + 8, size);
            }

            at += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"no {id} chunk");
    }
}
