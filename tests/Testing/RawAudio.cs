using System.Buffers.Binary;

namespace StepAudio.Telephony.Testing;

/// <summary>Headerless 16-bit little-endian PCM files, the format handed to and from sox.</summary>
public static class RawAudio
{
    /// <summary>Writes <paramref name="samples"/> as signed 16-bit little-endian.</summary>
    public static void WriteInt16(string path, ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Reads signed 16-bit little-endian samples; a trailing odd byte is ignored.</summary>
    public static short[] ReadInt16(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
        }

        return samples;
    }
}
