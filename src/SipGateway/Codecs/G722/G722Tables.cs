namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>
/// The constant tables of ITU-T G.722 (09/2012) §3 and §4 for the 64 kbit/s mode: the 24-tap QMF, the quantiser
/// decision levels and the inverse quantiser outputs, and the scale-factor adaptation tables.
/// </summary>
internal static class G722Tables
{
    // Arrays behind the spans: one allocation at type load, none per access.
    /// <summary>
    /// QMF coefficients h0..h11 (G.722 Table 11 for even indices; the 24-tap filter is symmetric, h(23 − i) = h(i)),
    /// scaled by 2^13 as in the standard. The filter's DC gain is 4096.
    /// </summary>
    public static ReadOnlySpan<short> Qmf => QmfData;

    private static readonly short[] QmfData = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

    /// <summary>Lower sub-band decision levels (Table 6, "Q6" column) in units of the scale factor, 2^12 scaled.</summary>
    public static ReadOnlySpan<short> LowerDecisionLevels => LowerDecisionLevelsData;

    private static readonly short[] LowerDecisionLevelsData = [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
    ];

    /// <summary>6-bit lower sub-band code words for negative differences, by decision interval (Table 6, ILN).</summary>
    public static ReadOnlySpan<byte> LowerNegativeCodes => LowerNegativeCodesData;

    private static readonly byte[] LowerNegativeCodesData = [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0,
    ];

    /// <summary>6-bit lower sub-band code words for positive differences, by decision interval (Table 6, ILP).</summary>
    public static ReadOnlySpan<byte> LowerPositiveCodes => LowerPositiveCodesData;

    private static readonly byte[] LowerPositiveCodesData = [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0,
    ];

    /// <summary>Inverse quantiser outputs of the 4-bit (feedback) lower sub-band code (Table 7, QQ4 × 8).</summary>
    public static ReadOnlySpan<short> InverseQuantizer4 => InverseQuantizer4Data;

    private static readonly short[] InverseQuantizer4Data = [
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    ];

    /// <summary>Inverse quantiser outputs of the full 6-bit lower sub-band code (Table 7, QQ6 × 8), used by the decoder.</summary>
    public static ReadOnlySpan<short> InverseQuantizer6 => InverseQuantizer6Data;

    private static readonly short[] InverseQuantizer6Data = [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136,
    ];

    /// <summary>Inverse quantiser outputs of the 2-bit higher sub-band code (Table 9, QQ2 × 8).</summary>
    public static ReadOnlySpan<short> InverseQuantizer2 => InverseQuantizer2Data;

    private static readonly short[] InverseQuantizer2Data = [-7408, -1616, 7408, 1616];

    /// <summary>Maps the 4-bit lower code to its magnitude index for <see cref="LowerLogScaleFactors"/> (Table 8, RIL).</summary>
    public static ReadOnlySpan<byte> LowerMagnitude => LowerMagnitudeData;

    private static readonly byte[] LowerMagnitudeData = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];

    /// <summary>Log scale-factor multipliers of the lower sub-band (Table 8, WL).</summary>
    public static ReadOnlySpan<short> LowerLogScaleFactors => LowerLogScaleFactorsData;

    private static readonly short[] LowerLogScaleFactorsData = [-60, -30, 58, 172, 334, 538, 1198, 3042];

    /// <summary>Maps the 2-bit higher code to its magnitude index (Table 10, IH2 → RH2).</summary>
    public static ReadOnlySpan<byte> HigherMagnitude => HigherMagnitudeData;

    private static readonly byte[] HigherMagnitudeData = [2, 1, 2, 1];

    /// <summary>Log scale-factor multipliers of the higher sub-band (Table 10, WH).</summary>
    public static ReadOnlySpan<short> HigherLogScaleFactors => HigherLogScaleFactorsData;

    private static readonly short[] HigherLogScaleFactorsData = [0, -214, 798];

    /// <summary>Inverse-log table for the scale factor: 2^(i/32) scaled by 2^11 (Table 16, ILB).</summary>
    public static ReadOnlySpan<short> InverseLog => InverseLogData;

    private static readonly short[] InverseLogData = [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];
}
