using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// Brings one call's audio to the rate its VAD stream runs at. The stream's rate is that of the call's first audio
/// (8 kHz for G.711, 16 kHz for G.722, or always 16 kHz when <see cref="VadOptions.NarrowbandAt8kHz"/> is off); audio
/// at the other rate (a re-INVITE that changed codec) is resampled here, so that a stream never mixes rates. One owner.
/// </summary>
internal sealed class VadRateAdapter
{
    private readonly bool _narrowbandAt8kHz;
    private Upsampler8kTo16k? _upsampler;
    private Downsampler16kTo8k? _downsampler;
    private float[] _buffer = [];

    public VadRateAdapter(VadOptions options)
    {
        _narrowbandAt8kHz = options.NarrowbandAt8kHz;
    }

    /// <summary>The rate of the stream, once the first audio has chosen it.</summary>
    public SileroRate? Rate { get; private set; }

    /// <summary>Chooses the stream's rate from the first audio's <paramref name="sampleRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Neither 8,000 nor 16,000 Hz.</exception>
    public SileroRate Choose(int sampleRate) => Rate ??= RateFor(sampleRate);

    /// <summary>The rate audio at <paramref name="sampleRate"/> is scored at: the stream's once chosen, else the one
    /// <see cref="Choose"/> would choose. Chooses nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Neither 8,000 nor 16,000 Hz.</exception>
    public SileroRate RateFor(int sampleRate)
    {
        var given = SileroRate.Of(sampleRate);
        return Rate ?? (given == SileroRate.Narrowband && !_narrowbandAt8kHz ? SileroRate.Wideband : given);
    }

    /// <summary><paramref name="samples"/> at the stream's rate (the input itself when the rates match).</summary>
    public ReadOnlySpan<float> Convert(ReadOnlySpan<float> samples, int sampleRate)
    {
        var rate = Choose(sampleRate);
        if (rate.SampleRate == sampleRate)
        {
            return samples;
        }

        if (rate == SileroRate.Wideband)
        {
            var wide = Buffer(2 * samples.Length);
            (_upsampler ??= new Upsampler8kTo16k()).Process(samples, wide);
            return wide;
        }

        var narrow = Buffer((samples.Length + 1) / 2);
        var count = (_downsampler ??= new Downsampler16kTo8k()).Process(samples, narrow);
        return narrow[..count];
    }

    private Span<float> Buffer(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new float[length];
        }

        return _buffer.AsSpan(0, length);
    }
}
