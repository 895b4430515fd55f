namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Summarises <see cref="FrameTracks"/> into <see cref="BurstDynamics"/> over the active frames.</summary>
internal static class BurstDynamicsMeasure
{
    private const int Bands = SpectralTables.BandCount;
    private const int ShortestModulationFrames = 20; // 0.2 s: below it no 1–3 Hz cycle fits
    private const int FewestVoicedFrames = 6;
    private const double SustainDb = 6;
    private const double SteepestAttackDbPerSecond = 2000; // 100 dB in one hop, beyond it the number means nothing

    public static BurstDynamics Measure(FrameTracks tracks, ReadOnlySpan<int> active)
    {
        var shares = new double[BurstDynamics.ModulationBands.Count];
        var contrast = new double[Bands];
        var delta = new double[Bands];
        if (active.IsEmpty)
        {
            return new BurstDynamics(0, 0, 0, shares, 0, 0, 0, 0, 0, contrast, delta);
        }

        var level = tracks.LevelDb;
        var floor = tracks.NoiseFloorDb;
        var first = active[0];
        var last = active[^1];
        var peak = first;
        foreach (var i in active)
        {
            if (level[i] > level[peak])
            {
                peak = i;
            }
        }

        var attack = Math.Min((level[peak] - level[first]) / (Math.Max(peak - first, 1) * FrameTracks.HopSeconds), SteepestAttackDbPerSecond);
        var decay = LevelSlope(level, floor, peak, last);
        var sustained = 0;
        for (var i = first; i <= last; i++)
        {
            if (level[i] >= level[peak] - SustainDb)
            {
                sustained++;
            }
        }

        Modulation(level, floor, first, last, shares);
        var (contour, curvature) = PitchShape(tracks.F0Hz, first, last);
        var half = active.Length / 2;
        var firstHalf = active[..Math.Max(half, 1)];
        var secondHalf = active[half..];

        BandSummaries(tracks, active, contrast, delta);
        return new BurstDynamics(
            TrackStatistics.Finite(attack),
            decay,
            sustained / (double)(last - first + 1),
            shares,
            contour,
            curvature,
            Change(tracks.Flatness, firstHalf, secondHalf),
            Change(tracks.Periodicity, firstHalf, secondHalf),
            Change(tracks.LowShare, firstHalf, secondHalf),
            contrast,
            delta);
    }

    /// <summary>Mean of <paramref name="track"/> over the second half of the active frames minus over the first half.</summary>
    private static double Change(ReadOnlySpan<float> track, ReadOnlySpan<int> firstHalf, ReadOnlySpan<int> secondHalf) =>
        TrackStatistics.MeanStd(track, secondHalf).Mean - TrackStatistics.MeanStd(track, firstHalf).Mean;

    /// <summary>Least-squares slope, dB per second, of the level (floored at the noise floor) over frames <paramref name="from"/> … <paramref name="to"/>.</summary>
    private static double LevelSlope(ReadOnlySpan<float> level, float floor, int from, int to)
    {
        var n = to - from + 1;
        if (n < 3)
        {
            return 0;
        }

        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = from; i <= to; i++)
        {
            double x = (i - from) * FrameTracks.HopSeconds;
            double y = Math.Max(level[i], floor);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var denominator = (n * sxx) - (sx * sx);
        return denominator > 1e-12 ? TrackStatistics.Finite(((n * sxy) - (sx * sy)) / denominator) : 0;
    }

    /// <summary>
    /// Share of the mean-removed level envelope's power in each modulation band, by a DFT evaluated only at the bins
    /// of 1–12 Hz (Parseval: the two-sided power of bin k over the total is 2|X_k|² / (n Σx²)).
    /// </summary>
    private static void Modulation(ReadOnlySpan<float> level, float floor, int first, int last, double[] shares)
    {
        var n = last - first + 1;
        if (n < ShortestModulationFrames)
        {
            return;
        }

        double mean = 0;
        for (var i = first; i <= last; i++)
        {
            mean += Math.Max(level[i], floor);
        }

        mean /= n;
        double total = 0;
        for (var i = first; i <= last; i++)
        {
            var v = Math.Max(level[i], floor) - mean;
            total += v * v;
        }

        if (total <= 1e-9)
        {
            return;
        }

        var binHz = 1 / (n * FrameTracks.HopSeconds);
        var bands = BurstDynamics.ModulationBands;
        for (var band = 0; band < bands.Count; band++)
        {
            var lowBin = Math.Max(1, (int)Math.Ceiling(bands[band].Low / binHz));
            var highBin = Math.Min((n - 1) / 2, (int)Math.Ceiling(bands[band].High / binHz) - 1);
            double power = 0;
            for (var k = lowBin; k <= highBin; k++)
            {
                // The bin's phasor advanced by rotation: one SinCos per bin, not per sample.
                var (stepSin, stepCos) = Math.SinCos(-2 * Math.PI * k / n);
                double c = 1, s = 0, re = 0, im = 0;
                for (var i = first; i <= last; i++)
                {
                    var v = Math.Max(level[i], floor) - mean;
                    re += v * c;
                    im += v * s;
                    var nextC = (c * stepCos) - (s * stepSin);
                    s = (c * stepSin) + (s * stepCos);
                    c = nextC;
                }

                power += (re * re) + (im * im);
            }

            shares[band] = Math.Clamp(2 * power / (n * total), 0, 1);
        }
    }

    /// <summary>The voiced frames' F0 contour: last third minus first third, and the quadratic coefficient over position 0–1.</summary>
    private static (double Contour, double Curvature) PitchShape(ReadOnlySpan<float> f0, int first, int last)
    {
        var voiced = 0;
        for (var i = first; i <= last; i++)
        {
            if (f0[i] > 0)
            {
                voiced++;
            }
        }

        if (voiced < FewestVoicedFrames)
        {
            return (0, 0);
        }

        var third = voiced / 3;
        double head = 0, tail = 0;
        var seen = 0;
        // Sums for the least-squares quadratic y = a + b t + c t² (normal equations, solved by Cramer's rule).
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
        var span = Math.Max(last - first, 1);
        for (var i = first; i <= last; i++)
        {
            if (f0[i] <= 0)
            {
                continue;
            }

            var y = 12 * Math.Log2(f0[i] / 100.0);
            if (seen < third)
            {
                head += y;
            }
            else if (seen >= voiced - third)
            {
                tail += y;
            }

            seen++;
            var t = (i - first) / (double)span;
            var t2 = t * t;
            s0++;
            s1 += t;
            s2 += t2;
            s3 += t2 * t;
            s4 += t2 * t2;
            y0 += y;
            y1 += y * t;
            y2 += y * t2;
        }

        var det = Det(s0, s1, s2, s1, s2, s3, s2, s3, s4);
        var curvature = Math.Abs(det) > 1e-12 ? Det(s0, s1, y0, s1, s2, y1, s2, s3, y2) / det : 0;
        return (TrackStatistics.Finite((tail - head) / third), TrackStatistics.Finite(curvature));
    }

    private static double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
        (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));

    private static void BandSummaries(FrameTracks tracks, ReadOnlySpan<int> active, double[] contrast, double[] delta)
    {
        var bandContrast = tracks.BandContrastDb;
        var bands = tracks.BandLevelsDb;
        var pairs = 0;
        var previous = -2;
        foreach (var i in active)
        {
            for (var b = 0; b < Bands; b++)
            {
                contrast[b] += bandContrast[(i * Bands) + b];
            }

            if (previous == i - 1)
            {
                for (var b = 0; b < Bands; b++)
                {
                    delta[b] += Math.Abs(bands[(i * Bands) + b] - bands[(previous * Bands) + b]);
                }

                pairs++;
            }

            previous = i;
        }

        for (var b = 0; b < Bands; b++)
        {
            contrast[b] /= active.Length;
            delta[b] = pairs > 0 ? delta[b] / pairs : 0;
        }
    }
}
