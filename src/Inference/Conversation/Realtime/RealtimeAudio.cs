using NAudio.Codecs;
using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Conversation.Realtime;

/// <summary>
/// Audio as the Realtime session is configured for it: G.711 µ-law at 8 kHz both ways (<c>audio/pcmu</c>), the
/// telephone's own format, so a reply is played without resampling and a caller turn loses nothing it had on the line.
/// </summary>
public static class RealtimeAudio
{
    /// <summary>The media type reply audio carries (<see cref="ReplyPart.Text"/> of an audio part).</summary>
    public const string MediaType = "audio/pcmu";

    /// <summary>The session's audio format name.</summary>
    public const string FormatType = "audio/pcmu";

    private const int TelephoneRate = 8000;

    /// <summary>µ-law bytes at 8 kHz from a WAV of any rate the caller's turn was kept at.</summary>
    public static byte[] WavToMuLaw(ReadOnlySpan<byte> wav)
    {
        var (samples, rate) = WavCodec.Decode(wav);
        var telephone = WdlClipResampler.Resample(samples, rate, TelephoneRate);
        var pcm = new short[telephone.Length];
        PcmConversion.ToPcm16(telephone, pcm);
        var encoded = new byte[pcm.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            encoded[i] = MuLawEncoder.LinearToMuLawSample(pcm[i]);
        }

        return encoded;
    }

    /// <summary>8 kHz 16-bit samples from µ-law bytes (one sample per byte).</summary>
    public static short[] ToTelephone(ReadOnlySpan<byte> muLaw)
    {
        var pcm = new short[muLaw.Length];
        for (var i = 0; i < muLaw.Length; i++)
        {
            pcm[i] = MuLawDecoder.MuLawToLinearSample(muLaw[i]);
        }

        return pcm;
    }
}
