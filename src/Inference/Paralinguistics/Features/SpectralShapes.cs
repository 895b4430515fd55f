namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Summarises <see cref="FrameTracks"/> into a <see cref="SpectralShape"/> over the active frames.</summary>
internal static class SpectralShapes
{
    public static SpectralShape Measure(FrameTracks tracks, ReadOnlySpan<int> active)
    {
        const int Bands = SpectralTables.BandCount;
        var mean = new double[Bands];
        var std = new double[Bands];
        if (active.IsEmpty)
        {
            return new SpectralShape(mean, std, 0, 0, 0);
        }

        var levels = tracks.BandLevelsDb;
        for (var k = 0; k < Bands; k++)
        {
            double sum = 0, sumSquares = 0;
            foreach (var i in active)
            {
                double v = levels[(i * Bands) + k];
                sum += v;
                sumSquares += v * v;
            }

            mean[k] = sum / active.Length;
            std[k] = Math.Sqrt(Math.Max((sumSquares / active.Length) - (mean[k] * mean[k]), 0));
        }

        var flatness = TrackStatistics.MeanStd(tracks.Flatness, active);
        var low = TrackStatistics.MeanStd(tracks.LowShare, active).Mean;
        var peak = active[0];
        foreach (var i in active)
        {
            if (tracks.LevelDb[i] > tracks.LevelDb[peak])
            {
                peak = i;
            }
        }

        var extent = active[^1] - active[0];
        var position = extent > 0 ? (peak - active[0]) / (double)extent : 0.5;
        return new SpectralShape(mean, std, flatness.Std, low, position);
    }
}
