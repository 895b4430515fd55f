namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Constant tables of the 512-point frame analysis, built once.</summary>
internal static class SpectralTables
{
    public const int FrameLength = 512;

    /// <summary>First bin of the telephone band (31.25 Hz bins: 300 Hz).</summary>
    public const int BandFirstBin = 10;

    /// <summary>Last bin of the telephone band (3400 Hz).</summary>
    public const int BandLastBin = 108;

    /// <summary>Periodic Hann window.</summary>
    public static readonly float[] Hann = BuildHann();

    /// <summary>log2 of each bin's centre frequency (for the dB-per-octave tilt).</summary>
    public static readonly double[] Log2Frequency = BuildLog2Frequency();

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
