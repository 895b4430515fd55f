using System.Buffers.Binary;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Cli.Audio;

/// <summary>
/// Reads RIFF/WAVE files into 16 kHz mono float: PCM 16-bit or IEEE float 32-bit (plain or WAVE_FORMAT_EXTENSIBLE),
/// mono or stereo (averaged), at 8 kHz (interpolated with <see cref="Upsampler8kTo16k"/>) or 16 kHz. Anything else
/// is refused with a message naming the file and what it holds; G.711-coded WAV is not read (decode it with sox).
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a WAVE file this reader supports.</exception>
    public static float[] ReadMono16k(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a whole WAVE file held in memory.</summary>
    public static float[] Decode(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }

        ushort format = 0, channels = 0, bits = 0;
        var rate = 0;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            // Streaming writers leave the size at 0 or 0xFFFFFFFF: such a chunk runs to the end of the file.
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 4, 4));
            var size = (int)Math.Min(declared, (uint)(file.Length - offset - 8));
            var body = file.Slice(offset + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    throw new InvalidDataException("fmt chunk too short");
                }

                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (format == FormatExtensible && size >= 26)
                {
                    // The sub-format GUID starts with the plain format tag.
                    format = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels == 0)
                {
                    throw new InvalidDataException("data chunk before fmt chunk");
                }

                return ToMono16k(body, format, channels, bits, rate);
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException("no data chunk");
    }

    private static float[] ToMono16k(ReadOnlySpan<byte> data, ushort format, ushort channels, ushort bits, int rate)
    {
        var pcm16 = format == FormatPcm && bits == 16;
        var float32 = format == FormatFloat && bits == 32;
        if (!pcm16 && !float32)
        {
            throw new InvalidDataException($"format {format} with {bits} bits per sample is not PCM16 or float32");
        }

        if (channels is not (1 or 2))
        {
            throw new InvalidDataException($"{channels} channels; mono or stereo expected");
        }

        if (rate is not (8_000 or 16_000))
        {
            throw new InvalidDataException($"{rate} Hz; 8000 or 16000 expected");
        }

        var bytesPerSample = bits / 8;
        var frames = data.Length / (bytesPerSample * channels);
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            float sum = 0;
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * bytesPerSample;
                sum += pcm16
                    ? BinaryPrimitives.ReadInt16LittleEndian(data[at..]) / 32768f
                    : BinaryPrimitives.ReadSingleLittleEndian(data[at..]);
            }

            mono[i] = sum / channels;
        }

        if (rate == 16_000)
        {
            return mono;
        }

        var wide = new float[2 * frames];
        new Upsampler8kTo16k().Process(mono, wide);
        return wide;
    }
}
