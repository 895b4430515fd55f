using System.Buffers.Binary;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Audio;

/// <summary>
/// In-memory RIFF/WAVE for the model APIs: a caller turn goes out as 16-bit mono PCM WAV, and audio a speech
/// endpoint returns (PCM 16-bit or IEEE float, any channel count) comes back as mono samples with its rate.
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
    /// Decodes a WAV file into mono float samples (channels averaged) and its sample rate. Streams that leave the
    /// data size open (0 or 0xFFFFFFFF, as streaming TTS servers write it) are read to the end of the bytes.
    /// </summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, or a format other than PCM 16-bit or float 32-bit.</exception>
    public static (float[] Samples, int SampleRate) Decode(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }

        int format = 0, channels = 0, rate = 0, bits = 0;
        var at = 12;
        while (at + 8 <= wav.Length)
        {
            var id = wav.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav[(at + 4)..]);
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8) && body + 16 <= wav.Length)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(wav[body..]);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 2)..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(wav[(body + 4)..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 14)..]);
                if (format == 0xFFFE && size >= 40 && body + 26 <= wav.Length)
                {
                    // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real format tag.
                    format = BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 24)..]);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels == 0 || rate <= 0)
                {
                    throw new InvalidDataException("WAV data before its fmt chunk");
                }

                var length = size is 0 or uint.MaxValue || body + (long)size > wav.Length ? wav.Length - body : (int)size;
                return (ToMono(wav.Slice(body, length), format, channels, bits), rate);
            }

            at = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
        }

        throw new InvalidDataException("WAV file without a data chunk");
    }

    private static float[] ToMono(ReadOnlySpan<byte> data, int format, int channels, int bits)
    {
        var bytes = (format, bits) switch
        {
            (1, 16) => 2,
            (3, 32) => 4,
            _ => throw new InvalidDataException($"WAV format {format} with {bits} bits is not supported (PCM 16-bit or float 32-bit)"),
        };
        var frames = data.Length / (bytes * channels);
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0f;
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * bytes;
                sum += bytes == 2
                    ? BinaryPrimitives.ReadInt16LittleEndian(data[at..]) / 32768f
                    : BinaryPrimitives.ReadSingleLittleEndian(data[at..]);
            }

            mono[i] = float.IsFinite(sum) ? Math.Clamp(sum / channels, -1f, 1f) : 0f;
        }

        return mono;
    }
}
