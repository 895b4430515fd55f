namespace StepAudio.Telephony.SipGateway.Codecs;

/// <summary>
/// What µ-law and A-law share: both are memoryless maps between 8-bit code words and linear samples, so
/// both directions run from tables built once. Encoding depends only on the top 14 (µ-law) or 13 (A-law)
/// bits of a sample, which keeps the encode table at 16 KiB or 8 KiB.
/// </summary>
public abstract class G711Codec : IAudioCodec
{
    private readonly short[] _decodeTable;
    private readonly byte[] _encodeTable;
    private readonly int _shift;
    private readonly int _offset;

    /// <summary>Builds the tables from the per-sample reference functions.</summary>
    /// <param name="decodeSample">Code word to linear sample.</param>
    /// <param name="encodeSample">Linear sample to code word; must depend only on <c>sample &gt;&gt; significantShift</c>.</param>
    /// <param name="significantShift">Bits below the law's resolution (2 for µ-law, 3 for A-law).</param>
    private protected G711Codec(Func<byte, short> decodeSample, Func<short, byte> encodeSample, int significantShift)
    {
        _decodeTable = new short[256];
        for (var code = 0; code < 256; code++)
        {
            _decodeTable[code] = decodeSample((byte)code);
        }

        _shift = significantShift;
        _offset = 1 << (15 - significantShift);
        _encodeTable = new byte[2 * _offset];
        for (var index = 0; index < _encodeTable.Length; index++)
        {
            _encodeTable[index] = encodeSample((short)((index - _offset) << significantShift));
        }
    }

    /// <inheritdoc />
    public abstract string EncodingName { get; }

    /// <inheritdoc />
    public abstract int PayloadType { get; }

    /// <inheritdoc />
    public int ClockRate => 8000;

    /// <inheritdoc />
    public int SampleRate => 8000;

    /// <inheritdoc />
    /// <remarks>G.711 is memoryless, so the shared instance serves every stream.</remarks>
    public IAudioCodec CreateSession() => this;

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (pcm.Length < encoded.Length)
        {
            throw new ArgumentException("The PCM buffer is shorter than the encoded input.", nameof(pcm));
        }

        ReadOnlySpan<short> table = _decodeTable;
        for (var i = 0; i < encoded.Length; i++)
        {
            pcm[i] = table[encoded[i]];
        }

        return encoded.Length;
    }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        if (encoded.Length < pcm.Length)
        {
            throw new ArgumentException("The encoded buffer is shorter than the PCM input.", nameof(encoded));
        }

        ReadOnlySpan<byte> table = _encodeTable;
        for (var i = 0; i < pcm.Length; i++)
        {
            encoded[i] = table[(pcm[i] >> _shift) + _offset];
        }

        return pcm.Length;
    }
}
