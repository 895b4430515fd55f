using System.Buffers.Binary;
using NAudio.Codecs;
using NAudio.Wave;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Audio;

/// <summary>
/// Decodes a RIFF/WAVE file into mono float samples at the file's own rate, with NAudio: PCM 8, 16, 24 or 32 bit,
/// IEEE float 32 or 64 bit, µ-law and A-law (G.711), plain or WAVE_FORMAT_EXTENSIBLE, any number of channels
/// (averaged); samples come out finite and within −1..1. The one WAV decoder of the product: prompt files, the
/// recordings <c>eval</c> and <c>train</c> read, and speech a synthesis endpoint returns.
/// </summary>
/// <remarks>
/// Streaming writers (TTS servers, <c>sox -</c>) leave the data size at 0 or 0xFFFFFFFF, and a truncated file declares
/// more than it holds: such a data chunk is read to the end of the bytes, whole frames only, before NAudio sees it.
/// </remarks>
public static class WavDecoder
{
    private const int SamplesPerRead = 16_384;

    /// <summary>Reads and decodes the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a WAV file this decoder reads; the message starts with the path.</exception>
    public static (float[] Samples, int SampleRate) ReadFile(string path, CancellationToken cancellationToken = default)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Decode(bytes, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a whole WAV file held in memory.</summary>
    /// <exception cref="InvalidDataException">Not RIFF/WAVE, no data chunk, no channels, or an encoding such as ADPCM.</exception>
    public static (float[] Samples, int SampleRate) Decode(ReadOnlySpan<byte> file, CancellationToken cancellationToken = default)
    {
        var bytes = WithClosedSizes(file);
        try
        {
            using var reader = new WaveFileReader(new MemoryStream(bytes, writable: false));
            var format = reader.WaveFormat;
            var interleaved = format.Encoding switch
            {
                WaveFormatEncoding.MuLaw or WaveFormatEncoding.ALaw => G711(reader, cancellationToken),
                WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat or WaveFormatEncoding.Extensible => Linear(reader, cancellationToken),
                _ => throw new InvalidDataException($"unsupported WAV encoding {format.Encoding} ({(int)format.Encoding})"),
            };
            return (Finite(Mix(interleaved, format.Channels)), format.SampleRate);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // What NAudio throws on a header it cannot make sense of: the caller (eval) must be able to list the file
            // as unreadable and go on.
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>
    /// A copy whose RIFF and data sizes match the bytes there are, after checking what NAudio would otherwise divide
    /// by or trip over: the RIFF header, a fmt chunk before the data with channels, rate and block size.
    /// </summary>
    private static byte[] WithClosedSizes(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }

        var bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        var blockAlign = 0;
        var at = 12;
        while (at + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(at, 4);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var available = bytes.Length - at - 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (declared < 16 || available < 16)
                {
                    throw new InvalidDataException("fmt chunk too short");
                }

                var channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 10));
                var rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 12));
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 20));
                if (channels == 0 || rate <= 0 || blockAlign == 0)
                {
                    throw new InvalidDataException($"{channels} channels at {rate} Hz with {blockAlign} bytes per frame");
                }

                var tag = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 8));
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 22));
                var frame = channels * ((bits + 7) / 8);
                if (tag is 1 or 3 or 6 or 7 or 0xFFFE && blockAlign != frame)
                {
                    // A sloppy writer's frame size (NAudio reads whole frames of it): for these encodings it follows
                    // from channels and sample size, as readers before NAudio computed it.
                    blockAlign = frame is > 0 and <= ushort.MaxValue ? frame : throw new InvalidDataException($"{channels} channels of {bits} bits per sample");
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 20), (ushort)blockAlign);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (blockAlign == 0)
                {
                    throw new InvalidDataException("data chunk before fmt chunk");
                }

                var size = declared is 0 or uint.MaxValue ? available : (int)Math.Min(declared, (uint)available);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), (uint)(size - (size % blockAlign)));
                return bytes;
            }

            at += 8 + (int)Math.Min(declared + (long)(declared & 1), available);
        }

        throw new InvalidDataException("no data chunk");
    }

    private static float[] Linear(WaveFileReader reader, CancellationToken cancellationToken)
    {
        ISampleProvider provider;
        try
        {
            provider = reader.ToSampleProvider();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // NAudio's converters name what they lack, e.g. "Unsupported bit depth".
            throw new InvalidDataException($"{e.Message} ({reader.WaveFormat.BitsPerSample} bits per sample)", e);
        }

        // Every sample takes at least a byte of the file, so the file bounds both (a header may claim 65535 channels).
        var channels = reader.WaveFormat.Channels;
        var output = new List<float>((int)Math.Min(reader.Length / Math.Max(1, reader.WaveFormat.BitsPerSample / 8), int.MaxValue));
        var buffer = new float[Math.Max(1, SamplesPerRead / channels) * channels];
        int read;
        while ((read = provider.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.AddRange(buffer.AsSpan(0, read));
        }

        return [.. output];
    }

    /// <summary>G.711 bytes to samples with NAudio's decoders (its ACM format converters are Windows-only).</summary>
    private static float[] G711(WaveFileReader reader, CancellationToken cancellationToken)
    {
        var muLaw = reader.WaveFormat.Encoding == WaveFormatEncoding.MuLaw;
        var bytes = new byte[reader.Length];
        var filled = 0;
        int read;
        while (filled < bytes.Length && (read = reader.Read(bytes, filled, bytes.Length - filled)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            filled += read;
        }

        var samples = new float[filled];
        for (var i = 0; i < filled; i++)
        {
            var linear = muLaw ? MuLawDecoder.MuLawToLinearSample(bytes[i]) : ALawDecoder.ALawToLinearSample(bytes[i]);
            samples[i] = PcmConversion.ToFloat(linear);
        }

        return samples;
    }

    /// <summary>
    /// Clamps to −1..1 and silences non-finite samples, in place: a float file may hold NaN, infinities or samples past
    /// full scale, and every user (prompt conversion, the analysis, synthesised speech) needs audio it can add up.
    /// Integer and G.711 samples are within range already.
    /// </summary>
    private static float[] Finite(float[] samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = float.IsFinite(samples[i]) ? Math.Clamp(samples[i], -1f, 1f) : 0f;
        }

        return samples;
    }

    private static float[] Mix(float[] interleaved, int channels)
    {
        if (channels == 1)
        {
            return interleaved;
        }

        var mono = new float[interleaved.Length / channels];
        for (var i = 0; i < mono.Length; i++)
        {
            float sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += interleaved[(i * channels) + c];
            }

            mono[i] = sum / channels;
        }

        return mono;
    }
}
