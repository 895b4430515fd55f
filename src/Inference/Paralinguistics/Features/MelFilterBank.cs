namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// The <see cref="MelCepstrum.Bands"/> triangular mel filters over the telephone band (bins
/// <see cref="SpectralTables.BandFirstBin"/> … <see cref="SpectralTables.BandLastBin"/> of the 512-point frame) and
/// the DCT that turns their levels into a cepstrum. Filter j rises from mel point j to j + 1 and falls to j + 2, the
/// points evenly spaced in mel from 300 to 3400 Hz, so every bin feeds at most two filters with weights summing to 1
/// (the usual MFCC filterbank, kept to the band G.711 passes).
/// </summary>
internal static class MelFilterBank
{
    private const int Bands = MelCepstrum.Bands;
    private const int Coefficients = MelCepstrum.Coefficients;

    /// <summary>Per bin, the filter on whose rising slope it lies (−1 past the last), the other being the one before.</summary>
    public static readonly int[] RisingBand = BuildRising(p => p < Bands ? (int)p : -1, int.MinValue);

    /// <summary>Per bin, its weight in <see cref="RisingBand"/>; 1 minus it goes to the filter before.</summary>
    public static readonly float[] RisingWeight = BuildRising(p => (float)(p - Math.Floor(p)), 0f);

    /// <summary>sqrt(2/B) cos(π k (b + ½) / B) for k = 1 … <see cref="MelCepstrum.Coefficients"/>, row by row (orthonormal DCT-II).</summary>
    public static readonly double[] Dct = BuildDct();

    /// <summary>Each telephone-band bin's position on the filters' mel points (0 at 300 Hz, B + 1 at 3400 Hz).</summary>
    private static T[] BuildRising<T>(Func<double, T> of, T outside)
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        var binHz = FrameTracks.SampleRate / (double)SpectralTables.FrameLength;
        var low = Mel(300);
        var step = (Mel(3400) - low) / (Bands + 1);
        var table = new T[SpectralTables.BandLastBin + 1];
        Array.Fill(table, outside);
        for (var b = SpectralTables.BandFirstBin; b <= SpectralTables.BandLastBin; b++)
        {
            table[b] = of(Math.Clamp((Mel(b * binHz) - low) / step, 0, Bands + 1 - 1e-9));
        }

        return table;
    }

    private static double[] BuildDct()
    {
        var table = new double[Coefficients * Bands];
        var scale = Math.Sqrt(2.0 / Bands);
        for (var k = 0; k < Coefficients; k++)
        {
            for (var b = 0; b < Bands; b++)
            {
                table[(k * Bands) + b] = scale * Math.Cos(Math.PI * (k + 1) * (b + 0.5) / Bands);
            }
        }

        return table;
    }
}
