using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>
/// Reads a WAV file (PCM 8–32 bit, IEEE float, µ-law or A-law; mono or stereo; any rate) into 8 kHz mono 16-bit
/// samples, in process with NAudio: no sox process per prompt.
/// </summary>
/// <remarks>
/// Channels are averaged; other rates go through NAudio's WDL resampler, whose anti-aliasing filter keeps a prompt
/// recorded at 44.1 or 48 kHz free of folded-back images in the 0–4 kHz band.
/// </remarks>
internal static class WavToTelephonePcm
{
    private const int TelephoneRate = 8000;

    /// <exception cref="InvalidDataException">The file is not a WAV NAudio can read, or its encoding is not supported.</exception>
    public static short[] Read(string path, CancellationToken cancellationToken)
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(path);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        using (reader)
        {
            var provider = ToSamples(reader);
            if (provider.WaveFormat.Channels == 2)
            {
                provider = new StereoToMonoSampleProvider(provider);
            }
            else if (provider.WaveFormat.Channels != 1)
            {
                throw new InvalidDataException($"{provider.WaveFormat.Channels} channels; prompts must be mono or stereo.");
            }

            if (provider.WaveFormat.SampleRate != TelephoneRate)
            {
                provider = new WdlResamplingSampleProvider(provider, TelephoneRate);
            }

            var expected = (int)Math.Min(int.MaxValue / 2, reader.TotalTime.TotalSeconds * TelephoneRate) + 64;
            var output = new List<short>(expected);
            var buffer = new float[4096];
            int read;
            while ((read = provider.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var sample in buffer.AsSpan(0, read))
                {
                    output.Add((short)Math.Clamp(MathF.Round(sample * 32767f), short.MinValue, short.MaxValue));
                }
            }

            return [.. output];
        }
    }

    private static ISampleProvider ToSamples(WaveFileReader reader)
    {
        var format = reader.WaveFormat;
        return format.Encoding switch
        {
            WaveFormatEncoding.MuLaw or WaveFormatEncoding.ALaw => new G711SampleProvider(reader),
            WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat or WaveFormatEncoding.Extensible => reader.ToSampleProvider(),
            _ => throw new InvalidDataException($"unsupported WAV encoding {format.Encoding}"),
        };
    }

    /// <summary>G.711 bytes to samples with NAudio's decoders (its format converters are Windows-only).</summary>
    private sealed class G711SampleProvider(WaveFileReader reader) : ISampleProvider
    {
        private readonly bool _muLaw = reader.WaveFormat.Encoding == WaveFormatEncoding.MuLaw;
        private byte[] _bytes = [];

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(reader.WaveFormat.SampleRate, reader.WaveFormat.Channels);

        public int Read(Span<float> buffer)
        {
            if (_bytes.Length < buffer.Length)
            {
                _bytes = new byte[buffer.Length];
            }

            var read = reader.Read(_bytes, 0, buffer.Length);
            for (var i = 0; i < read; i++)
            {
                var linear = _muLaw ? MuLawDecoder.MuLawToLinearSample(_bytes[i]) : ALawDecoder.ALawToLinearSample(_bytes[i]);
                buffer[i] = linear / 32768f;
            }

            return read;
        }
    }
}
