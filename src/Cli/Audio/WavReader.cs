using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Cli.Audio;

/// <summary>
/// Reads the recordings <c>eval</c>, <c>train</c> and <c>simulate</c> take into 16 kHz mono float. Any WAV
/// <see cref="WavDecoder"/> reads (PCM 8–32 bit, float 32/64 bit, µ-law, A-law, extensible; channels averaged):
/// 16 kHz as is; 8 kHz through <see cref="Upsampler8kTo16k"/>, the filter a G.711 call goes through, so the analyzer
/// hears a narrowband file as it hears a call; any other rate through <see cref="WdlClipResampler"/> (anti-aliased, and
/// fast enough for a public set of thousands of clips).
/// </summary>
public static class WavReader
{
    private const int WideRate = 16_000;
    private const int NarrowRate = 8_000;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a WAVE file the decoder reads; the message names the file.</exception>
    public static float[] ReadMono16k(string path)
    {
        var (samples, rate) = WavDecoder.ReadFile(path);
        return To16k(samples, rate);
    }

    /// <summary>Decodes a whole WAVE file held in memory.</summary>
    /// <exception cref="InvalidDataException">Not a WAVE file the decoder reads.</exception>
    public static float[] Decode(ReadOnlySpan<byte> file)
    {
        var (samples, rate) = WavDecoder.Decode(file);
        return To16k(samples, rate);
    }

    private static float[] To16k(float[] mono, int rate)
    {
        switch (rate)
        {
            case WideRate:
                return mono;
            case NarrowRate:
                var wide = new float[2 * mono.Length];
                new Upsampler8kTo16k().Process(mono, wide);
                return wide;
            default:
                return WdlClipResampler.Resample(mono, rate, WideRate);
        }
    }
}
