namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// A linear buffer that keeps the last <c>history</c> input samples in front of the next block, so that a block FIR
/// (<see cref="VectorMath.Convolve"/>) sees contiguous input without a per-sample delay line. Blocks are at most
/// <see cref="BlockSize"/> samples; callers split longer input.
/// </summary>
internal sealed class FirBlockBuffer
{
    /// <summary>The largest block; 512 samples covers a 32 ms frame at 16 kHz in one pass.</summary>
    public const int BlockSize = 512;

    private readonly float[] _buffer;
    private readonly int _history;

    public FirBlockBuffer(int history)
    {
        _history = history;
        _buffer = new float[history + BlockSize];
    }

    /// <summary>Where the next block's samples go (up to <see cref="BlockSize"/>).</summary>
    public Span<float> Block(int length) => _buffer.AsSpan(_history, length);

    /// <summary>The history followed by the first <paramref name="length"/> samples of the block.</summary>
    public ReadOnlySpan<float> Window(int length) => _buffer.AsSpan(0, _history + length);

    /// <summary>Makes the newest <c>history</c> samples the history of the next block.</summary>
    public void Advance(int length) => _buffer.AsSpan(length, _history).CopyTo(_buffer);

    public void Clear() => Array.Clear(_buffer);
}
