using System.Buffers.Binary;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Audio;

/// <summary>
/// In-memory RIFF/WAVE for the model APIs: a caller turn goes out as 16-bit mono PCM WAV, and audio a speech
/// endpoint returns (any WAV <see cref="WavDecoder"/> reads) comes back as mono samples with its rate.
/// </summary>
public static class WavCodec
{
    private const int HeaderBytes = 44;

    /// <summary>Encodes float samples (−1..1) as a 16-bit mono PCM WAV file.</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var wav = new byte[HeaderBytes + (samples.Length * 2)];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], wav.Length - 8);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples.Length * 2);
        var pcm = new short[samples.Length];
        PcmConversion.ToPcm16(samples, pcm);
        for (var i = 0; i < pcm.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(HeaderBytes + (2 * i))..], pcm[i]);
        }

        return wav;
    }

    /// <summary>
    /// Decodes a WAV file into mono float samples (channels averaged, clamped to −1..1, non-finite samples silenced)
    /// and its sample rate, with <see cref="WavDecoder"/>. Streams that leave the data size open (0 or 0xFFFFFFFF, as
    /// streaming TTS servers write it) are read to the end of the bytes.
    /// </summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, or an encoding the decoder does not read.</exception>
    public static (float[] Samples, int SampleRate) Decode(ReadOnlySpan<byte> wav) => WavDecoder.Decode(wav);
}
