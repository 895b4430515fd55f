using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// Encodes the gateway's outgoing audio, which is always rendered at 8 kHz (prompts, speech synthesis), for one RTP
/// stream's codec: directly for G.711, through a per-stream 8→16 kHz interpolator for wideband codecs such as G.722.
/// Not thread-safe (the session's send lock serialises it); no allocation per frame.
/// </summary>
public sealed class NarrowbandFrameEncoder
{
    /// <summary>The rate of the PCM this encoder accepts.</summary>
    public const int InputSampleRate = 8000;

    private readonly IAudioCodec _codec;
    private readonly Upsampler8kTo16k? _upsampler;
    private readonly float[] _narrow;
    private readonly float[] _wide;
    private readonly short[] _widePcm;

    /// <param name="codec">A per-stream codec instance (from <see cref="IAudioCodec.CreateSession"/>).</param>
    /// <param name="maxSamples">The longest 8 kHz frame that will be encoded.</param>
    /// <exception cref="ArgumentException">The codec's sample rate is neither 8 nor 16 kHz.</exception>
    public NarrowbandFrameEncoder(IAudioCodec codec, int maxSamples)
    {
        ArgumentNullException.ThrowIfNull(codec);
        _codec = codec;
        switch (codec.SampleRate)
        {
            case InputSampleRate:
                _narrow = _wide = [];
                _widePcm = [];
                break;
            case 2 * InputSampleRate:
                _upsampler = new Upsampler8kTo16k();
                _narrow = new float[maxSamples];
                _wide = new float[2 * maxSamples];
                _widePcm = new short[2 * maxSamples];
                break;
            default:
                throw new ArgumentException($"{codec.EncodingName} samples at {codec.SampleRate} Hz; only 8 and 16 kHz are supported.", nameof(codec));
        }
    }

    /// <summary>The codec instance this encoder feeds.</summary>
    public IAudioCodec Codec => _codec;

    /// <summary>Encodes one 8 kHz frame into <paramref name="payload"/>.</summary>
    /// <returns>The payload length in octets.</returns>
    public int Encode(ReadOnlySpan<short> pcm8k, Span<byte> payload)
    {
        if (_upsampler is null)
        {
            return _codec.Encode(pcm8k, payload);
        }

        var narrow = _narrow.AsSpan(0, pcm8k.Length);
        var wide = _wide.AsSpan(0, 2 * pcm8k.Length);
        var widePcm = _widePcm.AsSpan(0, 2 * pcm8k.Length);
        PcmConversion.ToFloat(pcm8k, narrow);
        _upsampler.Process(narrow, wide);
        PcmConversion.ToPcm16(wide, widePcm);
        return _codec.Encode(widePcm, payload);
    }
}
