using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

/// <summary>
/// A run of active frames (gaps under 60 ms bridged) and the measures the event rules read. Frame indices are
/// half-open: [<see cref="First"/>, <see cref="End"/>).
/// </summary>
internal readonly record struct SoundRegion(
    int First,
    int End,
    double VoicedFraction,
    double PitchMeanHz,
    double PitchStdSemitones,
    double HarmonicsToNoiseDb,
    double Flatness,
    double LowShare,
    double EnergySlopeDbPerSecond,
    double PeakPosition,
    double RiseSeconds)
{
    public double DurationSeconds => (End - First) * FrameTracks.HopSeconds;

    /// <summary>Measures frames [<paramref name="first"/>, <paramref name="end"/>) of <paramref name="tracks"/>.</summary>
    public static SoundRegion Measure(FrameTracks tracks, int first, int end)
    {
        int voiced = 0, active = 0, peakIndex = first;
        double f0Sum = 0, hnr = 0, flatness = 0, low = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        var level = tracks.LevelDb;
        for (var i = first; i < end; i++)
        {
            if (level[i] > level[peakIndex])
            {
                peakIndex = i;
            }

            if (!tracks.IsActive(i))
            {
                continue;
            }

            active++;
            var r = Math.Clamp(tracks.Periodicity[i], 1e-4, 0.9999);
            hnr += 10 * Math.Log10(r / (1 - r));
            flatness += tracks.Flatness[i];
            low += tracks.LowShare[i];
            double x = i * FrameTracks.HopSeconds, y = level[i];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            if (tracks.F0Hz[i] > 0)
            {
                voiced++;
                f0Sum += tracks.F0Hz[i];
            }
        }

        var pitchMean = voiced > 0 ? f0Sum / voiced : 0;
        double pitchVariance = 0;
        if (voiced > 1)
        {
            for (var i = first; i < end; i++)
            {
                if (tracks.F0Hz[i] > 0)
                {
                    var st = 12 * Math.Log2(tracks.F0Hz[i] / pitchMean);
                    pitchVariance += st * st;
                }
            }

            pitchVariance /= voiced;
        }

        var denominator = (active * sxx) - (sx * sx);
        var slope = active > 1 && denominator > 1e-12 ? ((active * sxy) - (sx * sy)) / denominator : 0;

        // Rise time: from the region's first frame to the first frame within 6 dB of its peak.
        var rise = first;
        while (rise < peakIndex && level[rise] < level[peakIndex] - 6)
        {
            rise++;
        }

        var n = Math.Max(active, 1);
        return new SoundRegion(
            first,
            end,
            voiced / (double)(end - first),
            pitchMean,
            Math.Sqrt(pitchVariance),
            hnr / n,
            flatness / n,
            low / n,
            TrackStatistics.Finite(slope),
            (peakIndex - first + 0.5) / (end - first),
            (rise - first) * FrameTracks.HopSeconds);
    }
}
