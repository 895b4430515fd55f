namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Cuts the <see cref="SpectralTables.FrameLength"/>-sample frame of each 10 ms hop out of a 16 kHz span, and measures
/// its level (the loudness envelope <see cref="FrameTracks"/> finds activity on).
/// </summary>
internal static class FrameWindow
{
    private const int FrameLength = SpectralTables.FrameLength;

    /// <summary>
    /// Copies frame <paramref name="i"/> (centred on its hop, zero-padded past the edges, a non-finite sample read as
    /// 0) into <paramref name="frame"/>; returns how many samples came from the span.
    /// </summary>
    public static int Copy(ReadOnlySpan<float> pcm, int i, Span<float> frame)
    {
        var start = (i * FrameTracks.Hop) + (FrameTracks.Hop / 2) - (FrameLength / 2);
        var used = 0;
        for (var k = 0; k < FrameLength; k++)
        {
            var n = start + k;
            if ((uint)n < (uint)pcm.Length && float.IsFinite(pcm[n]))
            {
                frame[k] = pcm[n];
                used++;
            }
            else
            {
                frame[k] = 0;
            }
        }

        return used;
    }

    /// <summary>
    /// Frame <paramref name="i"/>'s RMS level with its DC removed, dBFS, clamped to
    /// [<see cref="FrameTracks.FloorDb"/>, 20]; <paramref name="frame"/> is scratch of
    /// <see cref="SpectralTables.FrameLength"/> floats.
    /// </summary>
    public static float LevelDb(ReadOnlySpan<float> pcm, int i, Span<float> frame)
    {
        var used = Copy(pcm, i, frame);
        if (used == 0)
        {
            return FrameTracks.FloorDb;
        }

        // The DC is removed because an offset from a faulty converter is not sound anybody hears.
        double sum = 0, sumSquares = 0;
        for (var k = 0; k < FrameLength; k++)
        {
            sum += frame[k];
            sumSquares += (double)frame[k] * frame[k];
        }

        var mean = sum / used;
        var variance = Math.Max((sumSquares / used) - (mean * mean), 0);
        var db = 10 * Math.Log10(variance + 1e-20);
        return (float)Math.Clamp(db, FrameTracks.FloorDb, 20);
    }
}
