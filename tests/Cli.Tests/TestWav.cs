using System.Buffers.Binary;

namespace StepAudio.Telephony.Cli.Tests;

/// <summary>Writes WAVE files byte by byte, so reader tests do not depend on the reader's own idea of the format.</summary>
internal static class TestWav
{
    public static byte[] Pcm16(int rate, short[] interleaved, int channels = 1) =>
        Build(1, channels, rate, 16, [.. interleaved.SelectMany(s => BitConverter.GetBytes(s))]);

    public static byte[] Float32(int rate, float[] interleaved, int channels = 1) =>
        Build(3, channels, rate, 32, [.. interleaved.SelectMany(BitConverter.GetBytes)]);

    public static byte[] Build(ushort format, int channels, int rate, int bits, byte[] data)
    {
        var blockAlign = channels * bits / 8;
        var file = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), format);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(28), rate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), (ushort)bits);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(40), data.Length);
        data.CopyTo(file.AsSpan(44));
        return file;
    }
}
