namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>Summarises <see cref="FrameTracks.MelLevelsDb"/> into a <see cref="MelCepstrum"/> over the active frames.</summary>
internal static class MelCepstra
{
    private const int Bands = MelCepstrum.Bands;
    private const int Coefficients = MelCepstrum.Coefficients;

    public static MelCepstrum Measure(FrameTracks tracks, ReadOnlySpan<int> active)
    {
        var mean = new double[Coefficients];
        var std = new double[Coefficients];
        var delta = new double[Coefficients];
        if (active.IsEmpty)
        {
            return new MelCepstrum(mean, std, delta, 0, 0);
        }

        var levels = tracks.MelLevelsDb;
        var dct = MelFilterBank.Dct;
        Span<double> previous = stackalloc double[Coefficients];
        Span<double> current = stackalloc double[Coefficients];
        double flux = 0, fluxSquares = 0;
        var pairs = 0;
        var previousFrame = -2;
        foreach (var i in active)
        {
            var frame = levels.Slice(i * Bands, Bands);
            for (var k = 0; k < Coefficients; k++)
            {
                double c = 0;
                var row = dct.AsSpan(k * Bands, Bands);
                for (var b = 0; b < Bands; b++)
                {
                    c += frame[b] * row[b];
                }

                current[k] = c;
                mean[k] += c;
                std[k] += c * c;
            }

            if (previousFrame == i - 1)
            {
                // Rectified rise: only filters getting louder count, so a decay (a sigh's tail) reads as no onset.
                var before = levels.Slice(previousFrame * Bands, Bands);
                double rise = 0;
                for (var b = 0; b < Bands; b++)
                {
                    rise += Math.Max(0, frame[b] - before[b]);
                }

                rise /= Bands;
                flux += rise;
                fluxSquares += rise * rise;
                for (var k = 0; k < Coefficients; k++)
                {
                    delta[k] += Math.Abs(current[k] - previous[k]);
                }

                pairs++;
            }

            current.CopyTo(previous);
            previousFrame = i;
        }

        for (var k = 0; k < Coefficients; k++)
        {
            mean[k] /= active.Length;
            std[k] = Math.Sqrt(Math.Max((std[k] / active.Length) - (mean[k] * mean[k]), 0));
            delta[k] = pairs > 0 ? delta[k] / pairs : 0;
        }

        var fluxMean = pairs > 0 ? flux / pairs : 0;
        var fluxStd = pairs > 0 ? Math.Sqrt(Math.Max((fluxSquares / pairs) - (fluxMean * fluxMean), 0)) : 0;
        return new MelCepstrum(mean, std, delta, TrackStatistics.Finite(fluxMean), TrackStatistics.Finite(fluxStd));
    }
}
