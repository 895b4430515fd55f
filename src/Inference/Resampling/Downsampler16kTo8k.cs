namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// Streaming 2× decimator from 16 kHz to 8 kHz: the half-band low-pass <see cref="HalfbandLowPass"/> (≥ 60 dB
/// rejection of everything from 4.2 kHz that would alias) evaluated only at the kept samples, in polyphase form.
/// History, including the even/odd position in the stream, carries across calls, so any chunking gives identical output.
/// Delay: <see cref="DelaySamples"/> samples at 16 kHz. One instance per stream; not thread-safe; no allocation per call.
/// </summary>
public sealed class Downsampler16kTo8k
{
    /// <summary>Group delay relative to the input, in 16 kHz samples.</summary>
    public const int DelaySamples = HalfbandLowPass.Center;

    private readonly float[] _taps;
    private readonly DelayLine _evenSamples;
    private readonly DelayLine _oddSamples;
    private bool _nextIsOdd;

    /// <summary>Creates a decimator whose history is silence.</summary>
    public Downsampler16kTo8k()
    {
        var even = HalfbandLowPass.EvenPhase;
        _taps = new float[even.Length];
        for (var j = 0; j < even.Length; j++)
        {
            _taps[j] = even[even.Length - 1 - j];
        }

        // Output n is Σ h[k] x[2n − k]: the non-zero even taps meet even-indexed inputs, and the centre tap (odd
        // index) meets the odd-indexed input (Center + 1) / 2 pairs back. Aligning on x[2n] keeps the total delay of
        // an up/down round trip a whole number of 8 kHz samples.
        _evenSamples = new DelayLine(_taps.Length);
        _oddSamples = new DelayLine(((HalfbandLowPass.Center - 1) / 2) + 1);
    }

    /// <summary>
    /// Decimates <paramref name="input16k"/>: one output sample for every even-indexed input sample of the stream
    /// (counted from the first sample ever processed).
    /// </summary>
    /// <returns>The number of samples written: input.Length / 2, plus one if the stream position and length are such
    /// that the chunk holds one more even-indexed sample.</returns>
    /// <exception cref="ArgumentException"><paramref name="output8k"/> is shorter than (input.Length + 1) / 2.</exception>
    public int Process(ReadOnlySpan<float> input16k, Span<float> output8k)
    {
        if (output8k.Length < (input16k.Length + 1) / 2)
        {
            throw new ArgumentException("The output must hold (input length + 1) / 2 samples.", nameof(output8k));
        }

        int written = 0;
        foreach (float sample in input16k)
        {
            if (_nextIsOdd)
            {
                _oddSamples.Push(sample);
            }
            else
            {
                var evenWindow = _evenSamples.Push(sample);
                output8k[written++] = VectorMath.Dot(_taps, evenWindow) + (0.5f * _oddSamples.Window[0]);
            }

            _nextIsOdd = !_nextIsOdd;
        }

        return written;
    }

    /// <summary>Forgets the history, as if the stream started anew.</summary>
    public void Reset()
    {
        _evenSamples.Clear();
        _oddSamples.Clear();
        _nextIsOdd = false;
    }
}
