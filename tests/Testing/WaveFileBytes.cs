using System.Buffers.Binary;

namespace StepAudio.Telephony.Testing;

/// <summary>
/// Canonical 44-byte-header RIFF/WAVE files written byte by byte, so WAV readers are not checked against a library's
/// writer alone, and so a test can write a header a writer would refuse (a wrong frame size, no channels).
/// </summary>
public static class WaveFileBytes
{
    /// <summary>
    /// A file of format tag <paramref name="format"/> (1 PCM, 3 float, 6 A-law, 7 µ-law, …) whose data chunk is
    /// <paramref name="data"/>; <paramref name="blockAlign"/> overrides the frame size the header declares.
    /// </summary>
    public static byte[] Build(ushort format, int channels, int rate, int bits, byte[] data, int? blockAlign = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var align = blockAlign ?? (channels * bits / 8);
        var file = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), format);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(28), rate * align);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), (ushort)bits);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(40), data.Length);
        data.CopyTo(file.AsSpan(44));
        return file;
    }
}
