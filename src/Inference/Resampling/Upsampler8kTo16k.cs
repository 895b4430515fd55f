namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// Streaming 2× interpolator from 8 kHz to 16 kHz: zero-stuffing followed by the half-band low-pass
/// <see cref="HalfbandLowPass"/>, computed in polyphase form (passband ripple ≤ 0.01 dB over 0–3.8 kHz, images
/// attenuated ≥ 60 dB from 4.2 kHz). The filter history is kept between calls, so frames of any length stitch
/// together exactly as if the whole signal had been processed at once. Delay: <see cref="DelaySamples"/> samples at
/// 16 kHz (4.7 ms). One instance per stream; not thread-safe; no allocation per call.
/// </summary>
public sealed class Upsampler8kTo16k
{
    /// <summary>Group delay of the output relative to the input, in 16 kHz samples.</summary>
    public const int DelaySamples = HalfbandLowPass.Center;

    // Odd outputs come from the centre tap alone (h = 0.5, times the interpolation gain 2): a delayed copy.
    private const int OddPhaseDelay = (HalfbandLowPass.Center - 1) / 2;

    private readonly float[] _taps;
    private readonly FirBlockBuffer _input;
    private readonly float[] _even = new float[FirBlockBuffer.BlockSize];

    /// <summary>Creates an interpolator whose history is silence.</summary>
    public Upsampler8kTo16k()
    {
        // Scaled by 2 to make up for the energy removed by zero-stuffing; reversed to pair with oldest-first windows.
        var even = HalfbandLowPass.EvenPhase;
        _taps = new float[even.Length];
        for (var j = 0; j < even.Length; j++)
        {
            _taps[j] = 2 * even[even.Length - 1 - j];
        }

        _input = new FirBlockBuffer(_taps.Length - 1);
    }

    /// <summary>Interpolates <paramref name="input8k"/> into exactly twice as many samples.</summary>
    /// <exception cref="ArgumentException"><paramref name="output16k"/> is shorter than 2 × input.</exception>
    public void Process(ReadOnlySpan<float> input8k, Span<float> output16k)
    {
        if (output16k.Length < 2 * input8k.Length)
        {
            throw new ArgumentException("The output must hold twice the input length.", nameof(output16k));
        }

        // Input n is the newest sample of the window for outputs 2n and 2n + 1, at index n + taps − 1 of the block window.
        int newest = _taps.Length - 1;
        while (!input8k.IsEmpty)
        {
            int length = Math.Min(input8k.Length, FirBlockBuffer.BlockSize);
            input8k[..length].CopyTo(_input.Block(length));
            var window = _input.Window(length);
            var even = _even.AsSpan(0, length);
            VectorMath.Convolve(window, _taps, even);
            for (var n = 0; n < length; n++)
            {
                output16k[2 * n] = even[n];
                output16k[(2 * n) + 1] = window[n + newest - OddPhaseDelay];
            }

            _input.Advance(length);
            input8k = input8k[length..];
            output16k = output16k[(2 * length)..];
        }
    }

    /// <summary>Forgets the history, as if the stream started anew.</summary>
    public void Reset() => _input.Clear();
}
