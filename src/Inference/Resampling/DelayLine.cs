namespace StepAudio.Telephony.Inference.Resampling;

/// <summary>
/// A fixed-length FIR history that always exposes its samples as one contiguous span, oldest first, by writing every
/// sample twice into a buffer of twice the length (no copying on push, no wrap-around in the dot product).
/// </summary>
internal sealed class DelayLine
{
    private readonly float[] _buffer;
    private readonly int _length;
    private int _position;

    public DelayLine(int length)
    {
        _length = length;
        _buffer = new float[2 * length];
    }

    /// <summary>Appends a sample and returns the last <c>length</c> samples, oldest first.</summary>
    public ReadOnlySpan<float> Push(float sample)
    {
        _buffer[_position] = sample;
        _buffer[_position + _length] = sample;
        _position++;
        if (_position == _length)
        {
            _position = 0;
        }

        return new ReadOnlySpan<float>(_buffer, _position, _length);
    }

    /// <summary>The last <c>length</c> samples, oldest first.</summary>
    public ReadOnlySpan<float> Window => new(_buffer, _position, _length);

    public void Clear()
    {
        Array.Clear(_buffer);
        _position = 0;
    }
}
