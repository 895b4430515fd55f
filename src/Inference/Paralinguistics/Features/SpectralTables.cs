namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Constant tables of the 512-point frame analysis, built once.</summary>
internal static class SpectralTables
{
    public const int FrameLength = 512;

    /// <summary>First bin of the telephone band (31.25 Hz bins: 300 Hz).</summary>
    public const int BandFirstBin = 10;

    /// <summary>Last bin of the telephone band (3400 Hz).</summary>
    public const int BandLastBin = 108;

    /// <summary>Mel-spaced bands over the telephone band, for the spectral-envelope summary.</summary>
    public const int BandCount = 8;

    /// <summary>The band (0 … <see cref="BandCount"/> − 1) of each bin from <see cref="BandFirstBin"/> to <see cref="BandLastBin"/>.</summary>
    public static readonly int[] BandOfBin = BuildBandOfBin();

    /// <summary>How many bins each band holds.</summary>
    public static readonly int[] BinsInBand = BuildBinsInBand();

    /// <summary>Periodic Hann window.</summary>
    public static readonly float[] Hann = BuildHann();

    /// <summary>log2 of each bin's centre frequency (for the dB-per-octave tilt).</summary>
    public static readonly double[] Log2Frequency = BuildLog2Frequency();

    private static int[] BuildBandOfBin()
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        var binHz = FrameTracks.SampleRate / (double)FrameLength;
        var low = Mel(BandFirstBin * binHz);
        var high = Mel((BandLastBin + 1) * binHz);
        var table = new int[BandLastBin + 1];
        for (var b = BandFirstBin; b <= BandLastBin; b++)
        {
            table[b] = Math.Clamp((int)((Mel(b * binHz) - low) / (high - low) * BandCount), 0, BandCount - 1);
        }

        return table;
    }

    private static int[] BuildBinsInBand()
    {
        var counts = new int[BandCount];
        for (var b = BandFirstBin; b <= BandLastBin; b++)
        {
            counts[BandOfBin[b]]++;
        }

        return counts;
    }

    private static float[] BuildHann()
    {
        var window = new float[FrameLength];
        for (var k = 0; k < FrameLength; k++)
        {
            window[k] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * k / FrameLength)));
        }

        return window;
    }

    private static double[] BuildLog2Frequency()
    {
        var table = new double[(FrameLength / 2) + 1];
        for (var b = 1; b < table.Length; b++)
        {
            table[b] = Math.Log2(b * (double)FrameTracks.SampleRate / FrameLength);
        }

        return table;
    }
}
