namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Small statistics over frame tracks; every result is finite (0 when undefined).</summary>
internal static class TrackStatistics
{
    /// <summary>Least-squares slope of <paramref name="values"/> per second, frames <paramref name="hopSeconds"/> apart.</summary>
    public static double Slope(ReadOnlySpan<float> values, ReadOnlySpan<int> frameIndices, double hopSeconds)
    {
        if (frameIndices.Length < 2)
        {
            return 0;
        }

        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var i in frameIndices)
        {
            var x = i * hopSeconds;
            double y = values[i];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var n = frameIndices.Length;
        var denominator = (n * sxx) - (sx * sx);
        return denominator > 1e-12 ? Finite(((n * sxy) - (sx * sy)) / denominator) : 0;
    }

    /// <summary>Mean and population standard deviation of the selected frames.</summary>
    public static (double Mean, double Std) MeanStd(ReadOnlySpan<float> values, ReadOnlySpan<int> frameIndices)
    {
        if (frameIndices.IsEmpty)
        {
            return (0, 0);
        }

        double sum = 0, sumSquares = 0;
        foreach (var i in frameIndices)
        {
            sum += values[i];
            sumSquares += (double)values[i] * values[i];
        }

        var mean = sum / frameIndices.Length;
        var variance = Math.Max((sumSquares / frameIndices.Length) - (mean * mean), 0);
        return (Finite(mean), Finite(Math.Sqrt(variance)));
    }

    /// <summary>The <paramref name="fraction"/> quantile of <paramref name="sorted"/> (nearest rank).</summary>
    public static double Quantile(ReadOnlySpan<float> sorted, double fraction) =>
        sorted.IsEmpty ? 0 : sorted[Math.Clamp((int)Math.Round(fraction * (sorted.Length - 1)), 0, sorted.Length - 1)];

    public static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
