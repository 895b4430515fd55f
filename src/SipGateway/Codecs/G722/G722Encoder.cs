namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>
/// ITU-T G.722 sub-band ADPCM encoder, 64 kbit/s mode (6 bits lower band, 2 bits higher band): 16 kHz linear
/// PCM in, one octet per pair of samples out (G.722 §3). Keeps QMF and ADPCM state between calls, so one instance
/// encodes one stream; not thread-safe; no allocation per call.
/// </summary>
public sealed class G722Encoder
{
    private readonly G722Band _lower = new(initialScale: 32, logScaleMax: 18432, scaleShift: 8);
    private readonly G722Band _higher = new(initialScale: 8, logScaleMax: 22528, scaleShift: 10);

    // Each ring holds 12 samples twice over (written at i and i + 12) so the 12-tap window is always contiguous.
    private readonly int[] _evenHistory = new int[2 * QmfTaps];
    private readonly int[] _oddHistory = new int[2 * QmfTaps];
    private int _position;

    private const int QmfTaps = 12;

    /// <summary>Encodes <paramref name="pcm16k"/> (an even number of samples) into half as many octets.</summary>
    /// <returns>The number of octets written: <c>pcm16k.Length / 2</c>.</returns>
    /// <exception cref="ArgumentException">The input length is odd, or <paramref name="encoded"/> is too short.</exception>
    public int Encode(ReadOnlySpan<short> pcm16k, Span<byte> encoded)
    {
        if ((pcm16k.Length & 1) != 0)
        {
            throw new ArgumentException("G.722 encodes pairs of 16 kHz samples; the length must be even.", nameof(pcm16k));
        }

        int octets = pcm16k.Length / 2;
        if (encoded.Length < octets)
        {
            throw new ArgumentException("The encoded buffer must hold half the number of PCM samples.", nameof(encoded));
        }

        for (var n = 0; n < octets; n++)
        {
            Analyse(pcm16k[2 * n], pcm16k[(2 * n) + 1], out short lowerInput, out short higherInput);
            int lowerCode = EncodeLower(lowerInput);
            int higherCode = EncodeHigher(higherInput);
            encoded[n] = (byte)((higherCode << 6) | lowerCode);
        }

        return octets;
    }

    /// <summary>Returns to the initial state (G.722 §3.7), e.g. after a stream restarts.</summary>
    public void Reset()
    {
        _lower.Reset();
        _higher.Reset();
        Array.Clear(_evenHistory);
        Array.Clear(_oddHistory);
        _position = 0;
    }

    /// <summary>Transmit QMF (§3.1): splits two 16 kHz samples into one 8 kHz sample per sub-band.</summary>
    private void Analyse(short first, short second, out short lower, out short higher)
    {
        _evenHistory[_position] = _evenHistory[_position + QmfTaps] = first;
        _oddHistory[_position] = _oddHistory[_position + QmfTaps] = second;
        _position = _position == QmfTaps - 1 ? 0 : _position + 1;

        // The oldest sample now sits at _position; the coefficients pair oldest-first with h0, h2, … and h23, h21, ….
        var even = _evenHistory.AsSpan(_position, QmfTaps);
        var odd = _oddHistory.AsSpan(_position, QmfTaps);
        var h = G722Tables.Qmf;
        int sumOdd = 0;
        int sumEven = 0;
        for (var i = 0; i < QmfTaps; i++)
        {
            sumOdd += even[i] * h[i];
            sumEven += odd[i] * h[QmfTaps - 1 - i];
        }

        // 2^12 for the filter gain, 2^1 for summing two branches, 2^1 for G.722's 15-bit sub-band input.
        lower = (short)((sumEven + sumOdd) >> 14);
        higher = (short)((sumEven - sumOdd) >> 14);
    }

    /// <summary>Blocks 1L–4L: quantise the lower-band prediction error to 6 bits and adapt.</summary>
    private int EncodeLower(short input)
    {
        short error = Saturating.Subtract(input, _lower.Estimate);   // SUBTRA
        int magnitude = error >= 0 ? error : ~error;                // QUANTL works on the one's complement

        var levels = G722Tables.LowerDecisionLevels;
        int scale = _lower.Scale;
        int interval = 1;
        while (interval < 30 && magnitude >= (levels[interval] * scale) >> 12)
        {
            interval++;
        }

        int code = error < 0 ? G722Tables.LowerNegativeCodes[interval] : G722Tables.LowerPositiveCodes[interval];

        // The predictor only sees the 4 most significant bits, so the 56 and 48 kbit/s modes stay in step (§3.3).
        int feedback = code >> 2;
        var difference = (short)((scale * G722Tables.InverseQuantizer4[feedback]) >> 15);   // INVQAL
        _lower.AdaptScale(G722Tables.LowerLogScaleFactors[G722Tables.LowerMagnitude[feedback]]);
        _lower.UpdatePredictor(difference);
        return code;
    }

    /// <summary>Blocks 1H–4H: quantise the higher-band prediction error to 2 bits and adapt.</summary>
    private int EncodeHigher(short input)
    {
        short error = Saturating.Subtract(input, _higher.Estimate);
        int magnitude = error >= 0 ? error : ~error;
        int scale = _higher.Scale;
        bool outer = magnitude >= (564 * scale) >> 12;              // QUANTH: one decision level
        int code = error < 0 ? (outer ? 0 : 1) : (outer ? 2 : 3);

        var difference = (short)((scale * G722Tables.InverseQuantizer2[code]) >> 15);     // INVQAH
        _higher.AdaptScale(G722Tables.HigherLogScaleFactors[G722Tables.HigherMagnitude[code]]);
        _higher.UpdatePredictor(difference);
        return code;
    }
}
