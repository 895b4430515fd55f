namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>
/// ITU-T G.722 sub-band ADPCM decoder, 64 kbit/s mode: one octet in, two 16 kHz linear PCM samples out (G.722 §4).
/// Keeps ADPCM and QMF state between calls, so one instance decodes one stream; not thread-safe; no allocation per call.
/// </summary>
public sealed class G722Decoder
{
    private const int QmfTaps = 12;

    private readonly G722Band _lower = new(initialScale: 32, logScaleMax: 18432, scaleShift: 8);
    private readonly G722Band _higher = new(initialScale: 8, logScaleMax: 22528, scaleShift: 10);

    // Sum and difference of the reconstructed sub-bands, each ring written twice so the window is contiguous.
    private readonly int[] _sumHistory = new int[2 * QmfTaps];
    private readonly int[] _differenceHistory = new int[2 * QmfTaps];
    private int _position;

    /// <summary>Decodes <paramref name="encoded"/> into twice as many 16 kHz samples.</summary>
    /// <returns>The number of samples written: <c>2 × encoded.Length</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="pcm16k"/> is shorter than twice the input.</exception>
    public int Decode(ReadOnlySpan<byte> encoded, Span<short> pcm16k)
    {
        if (pcm16k.Length < 2 * encoded.Length)
        {
            throw new ArgumentException("The PCM buffer must hold two samples per encoded octet.", nameof(pcm16k));
        }

        for (var n = 0; n < encoded.Length; n++)
        {
            int code = encoded[n];
            int lower = DecodeLower(code & 0x3F);
            int higher = DecodeHigher(code >> 6);
            Synthesise(lower, higher, out pcm16k[2 * n], out pcm16k[(2 * n) + 1]);
        }

        return 2 * encoded.Length;
    }

    /// <summary>Returns to the initial state (G.722 §3.7).</summary>
    public void Reset()
    {
        _lower.Reset();
        _higher.Reset();
        Array.Clear(_sumHistory);
        Array.Clear(_differenceHistory);
        _position = 0;
    }

    /// <summary>Blocks 5L and 6L with the full 6-bit code; the predictor adapts on the 4-bit core as in the encoder.</summary>
    private int DecodeLower(int code)
    {
        int scale = _lower.Scale;
        int output = Saturating.Clamp15(_lower.Estimate + ((scale * G722Tables.InverseQuantizer6[code]) >> 15));

        int feedback = code >> 2;
        var difference = (short)((scale * G722Tables.InverseQuantizer4[feedback]) >> 15);
        _lower.AdaptScale(G722Tables.LowerLogScaleFactors[G722Tables.LowerMagnitude[feedback]]);
        _lower.UpdatePredictor(difference);
        return output;
    }

    private int DecodeHigher(int code)
    {
        var difference = (short)((_higher.Scale * G722Tables.InverseQuantizer2[code]) >> 15);
        int output = Saturating.Clamp15(difference + _higher.Estimate);
        _higher.AdaptScale(G722Tables.HigherLogScaleFactors[G722Tables.HigherMagnitude[code]]);
        _higher.UpdatePredictor(difference);
        return output;
    }

    /// <summary>Receive QMF (§4.4): interpolates the two 8 kHz sub-bands back into two 16 kHz samples.</summary>
    private void Synthesise(int lower, int higher, out short first, out short second)
    {
        _sumHistory[_position] = _sumHistory[_position + QmfTaps] = lower + higher;
        _differenceHistory[_position] = _differenceHistory[_position + QmfTaps] = lower - higher;
        _position = _position == QmfTaps - 1 ? 0 : _position + 1;

        var sum = _sumHistory.AsSpan(_position, QmfTaps);
        var difference = _differenceHistory.AsSpan(_position, QmfTaps);
        var h = G722Tables.Qmf;
        int even = 0;
        int odd = 0;
        for (var i = 0; i < QmfTaps; i++)
        {
            even += difference[i] * h[QmfTaps - 1 - i];
            odd += sum[i] * h[i];
        }

        // 2^12 for the filter gain, less 1 to restore the 16-bit scale from the 15-bit sub-bands.
        first = Saturating.Clamp16(even >> 11);
        second = Saturating.Clamp16(odd >> 11);
    }
}
