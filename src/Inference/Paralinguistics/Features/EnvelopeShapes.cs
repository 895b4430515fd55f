namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Summarises <see cref="FrameTracks"/> into an <see cref="EnvelopeShape"/> over the active frames.</summary>
internal static class EnvelopeShapes
{
    private const int Bands = SpectralTables.BandCount;
    private const int Coefficients = EnvelopeShape.Coefficients;
    private const int ShortestRhythmLag = 12; // 8 Hz at a 10 ms hop
    private const int LongestRhythmLag = 40; // 2.5 Hz

    /// <summary>cos(π k (b + ½) / B) for k = 1 … <see cref="Coefficients"/>: the DCT-II that turns band levels into a cepstrum.</summary>
    private static readonly double[] Dct = BuildDct();

    public static EnvelopeShape Measure(FrameTracks tracks, ReadOnlySpan<int> active)
    {
        var cepstrumMean = new double[Coefficients];
        var cepstrumStd = new double[Coefficients];
        var cepstrumDelta = new double[Coefficients];
        if (active.IsEmpty)
        {
            return new EnvelopeShape(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cepstrumMean, cepstrumStd, cepstrumDelta);
        }

        var f0 = tracks.F0Hz;
        var voicedActive = 0;
        foreach (var i in active)
        {
            if (f0[i] > 0)
            {
                voicedActive++;
            }
        }

        var periodicity = TrackStatistics.MeanStd(tracks.Periodicity, active);
        var first = active[0];
        var last = active[^1];
        var extent = last - first + 1;
        var (runs, runFrames, jump) = VoicedRuns(f0, first, last);
        var bands = tracks.BandLevelsDb;
        Span<double> previous = stackalloc double[Coefficients];
        Span<double> current = stackalloc double[Coefficients];
        double flux = 0;
        int pairs = 0, deltaPairs = 0;
        var previousFrame = -2;
        foreach (var i in active)
        {
            for (var k = 0; k < Coefficients; k++)
            {
                double c = 0;
                for (var b = 0; b < Bands; b++)
                {
                    c += bands[(i * Bands) + b] * Dct[(k * Bands) + b];
                }

                current[k] = c;
                cepstrumMean[k] += c;
                cepstrumStd[k] += c * c;
            }

            if (previousFrame == i - 1)
            {
                double squares = 0;
                for (var b = 0; b < Bands; b++)
                {
                    double d = bands[(i * Bands) + b] - bands[(previousFrame * Bands) + b];
                    squares += d * d;
                }

                flux += Math.Sqrt(squares / Bands);
                pairs++;
                for (var k = 0; k < Coefficients; k++)
                {
                    cepstrumDelta[k] += Math.Abs(current[k] - previous[k]);
                }

                deltaPairs++;
            }

            current.CopyTo(previous);
            previousFrame = i;
        }

        for (var k = 0; k < Coefficients; k++)
        {
            cepstrumMean[k] /= active.Length;
            cepstrumStd[k] = Math.Sqrt(Math.Max((cepstrumStd[k] / active.Length) - (cepstrumMean[k] * cepstrumMean[k]), 0));
            cepstrumDelta[k] = deltaPairs > 0 ? cepstrumDelta[k] / deltaPairs : 0;
        }

        var extentSeconds = extent * FrameTracks.HopSeconds;
        return new EnvelopeShape(
            voicedActive / (double)active.Length,
            periodicity.Mean,
            periodicity.Std,
            runs / extentSeconds,
            runs > 0 ? runFrames * FrameTracks.HopSeconds / runs : 0,
            Rhythm(tracks, first, last),
            active.Length / (double)extent,
            pairs > 0 ? flux / pairs : 0,
            jump,
            LevelSkew(tracks.LevelDb, active),
            cepstrumMean,
            cepstrumStd,
            cepstrumDelta);
    }

    /// <summary>Voiced runs in frames <paramref name="first"/> … <paramref name="last"/>, their total length, and the mean F0 step inside them.</summary>
    private static (int Runs, int Frames, double JumpSemitones) VoicedRuns(ReadOnlySpan<float> f0, int first, int last)
    {
        int runs = 0, frames = 0, steps = 0;
        double jumps = 0;
        for (var i = first; i <= last; i++)
        {
            if (f0[i] <= 0)
            {
                continue;
            }

            frames++;
            if (i == first || f0[i - 1] <= 0)
            {
                runs++;
            }
            else
            {
                jumps += Math.Abs(12 * Math.Log2(f0[i] / f0[i - 1]));
                steps++;
            }
        }

        return (runs, frames, steps > 0 ? jumps / steps : 0);
    }

    /// <summary>
    /// The level envelope's strongest periodicity at 2.5–8 Hz over the active extent: normalised autocorrelation of
    /// the mean-removed level (frames below the noise floor read as the floor, so silence between pulses is not −100 dB).
    /// </summary>
    private static double Rhythm(FrameTracks tracks, int first, int last)
    {
        var n = last - first + 1;
        if (n < 2 * ShortestRhythmLag)
        {
            return 0;
        }

        var level = tracks.LevelDb;
        var floor = tracks.NoiseFloorDb;
        double mean = 0;
        for (var i = first; i <= last; i++)
        {
            mean += Math.Max(level[i], floor);
        }

        mean /= n;
        double energy = 0;
        for (var i = first; i <= last; i++)
        {
            var v = Math.Max(level[i], floor) - mean;
            energy += v * v;
        }

        if (energy <= 1e-9)
        {
            return 0;
        }

        var best = 0.0;
        for (var lag = ShortestRhythmLag; lag <= LongestRhythmLag && 2 * lag <= n; lag++)
        {
            double sum = 0;
            for (var i = first; i + lag <= last; i++)
            {
                sum += (Math.Max(level[i], floor) - mean) * (Math.Max(level[i + lag], floor) - mean);
            }

            // Scaled to the overlap so a long lag is not penalised for having fewer products.
            best = Math.Max(best, sum / energy * n / (n - lag));
        }

        return Math.Clamp(best, 0, 1);
    }

    private static double LevelSkew(ReadOnlySpan<float> level, ReadOnlySpan<int> active)
    {
        var (mean, std) = TrackStatistics.MeanStd(level, active);
        if (std < 1e-6)
        {
            return 0;
        }

        double sum = 0;
        foreach (var i in active)
        {
            var z = (level[i] - mean) / std;
            sum += z * z * z;
        }

        return sum / active.Length;
    }

    private static double[] BuildDct()
    {
        var table = new double[Coefficients * Bands];
        for (var k = 0; k < Coefficients; k++)
        {
            for (var b = 0; b < Bands; b++)
            {
                table[(k * Bands) + b] = Math.Cos(Math.PI * (k + 1) * (b + 0.5) / Bands);
            }
        }

        return table;
    }
}
