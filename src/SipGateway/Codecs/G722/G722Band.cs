namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>
/// The adaptive state of one G.722 sub-band (lower or higher) as the encoder and decoder both track it: the
/// logarithmic and linear scale factors and the pole-zero predictor (G.722 §3.6, blocks 3L/3H and 4L/4H).
/// Both ends run identical arithmetic on identical inputs, which is what keeps them in step without side information.
/// </summary>
internal sealed class G722Band
{
    // Predictor coefficients and delay lines; sized once so no frame allocates.
    private readonly short[] _zeroCoefficients = new short[6]; // b1..b6
    private readonly short[] _differences = new short[7];      // d(n), d(n−1) .. d(n−6)
    private short _pole1;                                       // a1
    private short _pole2;                                       // a2
    private short _partial1;                                    // p(n−1)
    private short _partial2;                                    // p(n−2)
    private short _reconstructed1;                              // r(n−1)
    private short _zeroEstimate;                                // sz
    private short _logScale;                                    // nabla (nbl / nbh)
    private readonly int _logScaleMax;
    private readonly int _scaleShift;
    private readonly short _initialScale;

    /// <param name="initialScale">Initial linear scale factor (32 lower, 8 higher: the minimum of each band).</param>
    /// <param name="logScaleMax">Upper limit of the log scale factor (18432 lower, 22528 higher; LOGSCL/LOGSCH).</param>
    /// <param name="scaleShift">Exponent bias of SCALEL/SCALEH (8 lower, 10 higher).</param>
    public G722Band(short initialScale, int logScaleMax, int scaleShift)
    {
        _initialScale = initialScale;
        _logScaleMax = logScaleMax;
        _scaleShift = scaleShift;
        Scale = initialScale;
    }

    /// <summary>The signal estimate s(n) for the next sample.</summary>
    public short Estimate { get; private set; }

    /// <summary>The linear scale factor (det) for the next sample.</summary>
    public short Scale { get; private set; }

    /// <summary>Adapts the log scale factor by <paramref name="multiplier"/> (LOGSCL/LOGSCH) and recomputes det (SCALEL/SCALEH).</summary>
    public void AdaptScale(int multiplier)
    {
        // Leakage 127/128 pulls the scale back towards its minimum when the signal falls silent.
        int log = ((_logScale * 127) >> 7) + multiplier;
        _logScale = (short)Math.Clamp(log, 0, _logScaleMax);

        int mantissa = G722Tables.InverseLog[(_logScale >> 6) & 31];
        int exponent = _scaleShift - (_logScale >> 11);
        int linear = exponent < 0 ? mantissa << -exponent : mantissa >> exponent;
        Scale = (short)(linear << 2);
    }

    /// <summary>
    /// Block 4 for one quantised difference <paramref name="difference"/>: reconstructs the signal, updates the
    /// second-order pole and sixth-order zero sections with the sign-sign algorithm, and computes the next estimate.
    /// </summary>
    public void UpdatePredictor(short difference)
    {
        short reconstructed = Saturating.Add(Estimate, difference);      // RECONS
        short partial = Saturating.Add(_zeroEstimate, difference);       // PARREC

        // UPPOL2: a2 follows the correlation of p(n) with p(n−1) and p(n−2), with leakage 127/128.
        bool flip1 = ((partial ^ _partial1) & 0x8000) != 0;
        bool flip2 = ((partial ^ _partial2) & 0x8000) != 0;
        int a1Times4 = Saturating.Clamp16(_pole1 << 2);
        int term = Math.Min(flip1 ? a1Times4 : -a1Times4, short.MaxValue);
        int pole2 = (short)((flip2 ? -128 : 128) + (term >> 7) + ((_pole2 * 32512) >> 15));
        pole2 = Math.Clamp(pole2, -12288, 12288);

        // UPPOL1: a1 with leakage 255/256, kept inside the stability triangle |a1| ≤ 1 − 2^−4 − a2.
        int pole1 = Saturating.Add((short)(flip1 ? -192 : 192), (short)((_pole1 * 32640) >> 15));
        int bound = Saturating.Subtract(15360, (short)pole2);
        pole1 = Math.Clamp(pole1, -bound, bound);

        // FILTEP: pole-section output from the new coefficients and r(n), r(n−1).
        int sp1 = (pole1 * Saturating.Add(reconstructed, reconstructed)) >> 15;
        int sp2 = (pole2 * Saturating.Add(_reconstructed1, _reconstructed1)) >> 15;
        short polePart = Saturating.Add((short)sp1, (short)sp2);

        _reconstructed1 = reconstructed;
        _pole1 = (short)pole1;
        _pole2 = (short)pole2;
        _partial2 = _partial1;
        _partial1 = partial;

        // UPZERO, DELAYA, FILTEZ: each b_i moves by ±2^−8 towards agreeing in sign with d(n)·d(n−i), leakage 255/256.
        var b = _zeroCoefficients.AsSpan();
        var d = _differences.AsSpan();
        int step = difference == 0 ? 0 : 128;
        d[0] = difference;
        int zero = 0;
        for (var i = 5; i >= 0; i--)
        {
            int sign = ((d[i + 1] ^ difference) & 0x8000) != 0 ? -step : step;
            b[i] = Saturating.Add((short)sign, (short)((b[i] * 32640) >> 15));
            zero += (b[i] * Saturating.Add(d[i], d[i])) >> 15;
            d[i + 1] = d[i];
        }

        _zeroEstimate = Saturating.Clamp16(zero);
        Estimate = Saturating.Add(polePart, _zeroEstimate);              // PREDIC
    }

    /// <summary>Returns to the initial state of G.722 §3.7 (all zero, minimum scale).</summary>
    public void Reset()
    {
        Array.Clear(_zeroCoefficients);
        Array.Clear(_differences);
        _pole1 = _pole2 = _partial1 = _partial2 = _reconstructed1 = _zeroEstimate = _logScale = 0;
        Estimate = 0;
        Scale = _initialScale;
    }
}
