using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine;

/// <summary>
/// Decoded caller audio (16-bit PCM at 8 kHz, or 16 kHz from wideband codecs such as G.722) to the detector's 16 kHz
/// float samples, continuing one call's stream (the upsampler keeps its filter state between frames). Buffers are
/// reused: a result is valid until the next call. Not thread-safe: the owner serialises calls.
/// </summary>
internal sealed class CallerAudioConverter
{
    private readonly Upsampler8kTo16k _upsampler = new();
    private float[] _narrow = [];
    private float[] _wide = [];

    /// <summary>The frame at 16 kHz; <paramref name="asReceived"/> is the same frame as float samples at its own rate
    /// (the 8 kHz samples a narrowband call's VAD runs on, or the 16 kHz frame itself).</summary>
    public ReadOnlySpan<float> To16k(ReadOnlySpan<short> pcm, int sampleRate, out ReadOnlySpan<float> asReceived)
    {
        if (sampleRate == SpeechSegment.SampleRate)
        {
            var wide = Buffer(ref _wide, pcm.Length);
            PcmConversion.ToFloat(pcm, wide);
            asReceived = wide;
            return wide;
        }

        var narrow = Buffer(ref _narrow, pcm.Length);
        var upsampled = Buffer(ref _wide, 2 * pcm.Length);
        PcmConversion.ToFloat(pcm, narrow);
        _upsampler.Process(narrow, upsampled);
        asReceived = narrow;
        return upsampled;
    }

    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer.AsSpan(0, length);
    }
}
