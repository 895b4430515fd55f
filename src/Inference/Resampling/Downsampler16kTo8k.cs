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

    // (Center + 1) / 2: how many odd-indexed inputs back the centre tap reaches from the newest even input.
    private const int OddPhaseDelay = ((HalfbandLowPass.Center - 1) / 2) + 1;

    private readonly float[] _taps;
    private readonly FirBlockBuffer _evenSamples;
    private readonly FirBlockBuffer _oddSamples;
    private readonly float[] _filtered = new float[FirBlockBuffer.BlockSize];
    private bool _nextIsOdd;

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
        _evenSamples = new FirBlockBuffer(_taps.Length - 1);
        _oddSamples = new FirBlockBuffer(OddPhaseDelay);
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
        while (!input16k.IsEmpty)
        {
            int length = Math.Min(input16k.Length, 2 * FirBlockBuffer.BlockSize);
            written += ProcessBlock(input16k[..length], output8k[written..]);
            input16k = input16k[length..];
        }

        return written;
    }

    /// <summary>Forgets the history, as if the stream started anew.</summary>
    /// <summary>
    /// Splits up to 2 × <see cref="FirBlockBuffer.BlockSize"/> inputs into their even and odd phases, filters the even
    /// phase as one block and adds the centre tap's odd-phase sample: y[k] = Σ h·even[k − 75 .. k] + 0.5·odd[k − 38].
    /// </summary>
    private int ProcessBlock(ReadOnlySpan<float> input16k, Span<float> output8k)
    {
        bool startsOdd = _nextIsOdd;
        int evens = startsOdd ? input16k.Length / 2 : (input16k.Length + 1) / 2;
        int odds = input16k.Length - evens;
        var evenBlock = _evenSamples.Block(evens);
        var oddBlock = _oddSamples.Block(odds);
        int first = startsOdd ? 1 : 0;
        for (var i = 0; i < evens; i++)
        {
            evenBlock[i] = input16k[first + (2 * i)];
        }

        for (var i = 0; i < odds; i++)
        {
            oddBlock[i] = input16k[(1 - first) + (2 * i)];
        }

        var filtered = _filtered.AsSpan(0, evens);
        VectorMath.Convolve(_evenSamples.Window(evens), _taps, filtered);

        // The odd window starts OddPhaseDelay samples before the first new odd one; an odd sample that opens the
        // block precedes the first even one, shifting the pairing by one.
        var oddWindow = _oddSamples.Window(odds);
        int shift = startsOdd ? 1 : 0;
        for (var i = 0; i < evens; i++)
        {
            output8k[i] = filtered[i] + (0.5f * oddWindow[i + shift]);
        }

        _evenSamples.Advance(evens);
        _oddSamples.Advance(odds);
        _nextIsOdd = (input16k.Length & 1) == 0 ? startsOdd : !startsOdd;
        return evens;
    }

    public void Reset()
    {
        _evenSamples.Clear();
        _oddSamples.Clear();
        _nextIsOdd = false;
    }
}
