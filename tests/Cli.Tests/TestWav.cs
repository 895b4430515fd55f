using System.Buffers.Binary;
using NAudio.Codecs;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Cli.Tests;

/// <summary>Writes WAVE files byte by byte, so reader tests do not depend on the reader's own idea of the format.</summary>
internal static class TestWav
{
    public static byte[] Pcm16(int rate, short[] interleaved, int channels = 1) =>
        WaveFileBytes.Build(1, channels, rate, 16, [.. interleaved.SelectMany(s => BitConverter.GetBytes(s))]);

    public static byte[] Float32(int rate, float[] interleaved, int channels = 1) =>
        WaveFileBytes.Build(3, channels, rate, 32, [.. interleaved.SelectMany(BitConverter.GetBytes)]);

    /// <summary>
    /// <paramref name="interleaved"/> (−1..1) coded as a WAV file of <paramref name="format"/> (1 PCM, 3 float, 6 A-law,
    /// 7 µ-law) with <paramref name="bits"/> per sample: 8-bit PCM is unsigned, as RIFF defines it.
    /// </summary>
    public static byte[] Coded(ushort format, int bits, int rate, float[] interleaved, int channels = 1)
    {
        var data = new byte[interleaved.Length * bits / 8];
        var span = data.AsSpan();
        for (var i = 0; i < interleaved.Length; i++)
        {
            var x = (double)interleaved[i];
            var at = span[(i * bits / 8)..];
            switch (format, bits)
            {
                case (1, 8): at[0] = (byte)(128 + Math.Round(x * 127)); break;
                case (1, 16): BinaryPrimitives.WriteInt16LittleEndian(at, (short)Math.Round(x * short.MaxValue)); break;
                case (1, 24):
                    var s24 = (int)Math.Round(x * 8_388_607);
                    at[0] = (byte)s24;
                    at[1] = (byte)(s24 >> 8);
                    at[2] = (byte)(s24 >> 16);
                    break;
                case (1, 32): BinaryPrimitives.WriteInt32LittleEndian(at, (int)Math.Round(x * int.MaxValue)); break;
                case (3, 32): BinaryPrimitives.WriteSingleLittleEndian(at, (float)x); break;
                case (3, 64): BinaryPrimitives.WriteDoubleLittleEndian(at, x); break;
                case (6, 8): at[0] = ALawEncoder.LinearToALawSample((short)Math.Round(x * short.MaxValue)); break;
                case (7, 8): at[0] = MuLawEncoder.LinearToMuLawSample((short)Math.Round(x * short.MaxValue)); break;
                default: throw new ArgumentException($"no coder for format {format} with {bits} bits");
            }
        }

        return WaveFileBytes.Build(format, channels, rate, bits, data);
    }
}
