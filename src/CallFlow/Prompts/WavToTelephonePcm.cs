using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>
/// Reads a WAV file (PCM 8–32 bit, IEEE float, µ-law or A-law; any channel count; any rate) into 8 kHz mono 16-bit
/// samples, in process with NAudio (<see cref="WavDecoder"/>): no sox process per prompt.
/// </summary>
/// <remarks>
/// Channels are averaged; other rates go through NAudio's WDL resampler (<see cref="WdlClipResampler"/>), whose
/// anti-aliasing filter keeps a prompt recorded at 44.1 or 48 kHz free of folded-back images in the 0–4 kHz band.
/// </remarks>
internal static class WavToTelephonePcm
{
    private const int TelephoneRate = 8000;

    /// <exception cref="InvalidDataException">The file is not a WAV NAudio can read, or its encoding is not supported.</exception>
    public static short[] Read(string path, CancellationToken cancellationToken)
    {
        // The prompt converter names the file itself: the decoder's message without the path reads better there.
        var (samples, rate) = WavDecoder.Decode(File.ReadAllBytes(path), cancellationToken);
        var telephone = WdlClipResampler.Resample(samples, rate, TelephoneRate, cancellationToken);
        var pcm = new short[telephone.Length];
        PcmConversion.ToPcm16(telephone, pcm);
        return pcm;
    }
}
