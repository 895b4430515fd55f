using System.Buffers;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Measures <see cref="AcousticFeatures"/> on 16 kHz audio from 10 ms-hop, 32 ms frames: YIN pitch (60–500 Hz) with a
/// voicing decision, RMS level, autocorrelation HNR, and spectral flatness and tilt over the telephone band. Stateless
/// and thread-safe; working memory comes from <see cref="ArrayPool{T}"/>.
/// </summary>
public sealed class AcousticFeatureExtractor : IAcousticFeatureExtractor
{
    /// <summary>Shortest silent gap counted as a pause.</summary>
    public const double MinimumPauseSeconds = 0.15;

    /// <summary>Samples at or above this magnitude count as clipped.</summary>
    public const float ClipLevel = 0.99f;

    private const int MinimumPauseFrames = 15;
    private const int MinimumSyllableSpacingFrames = 10; // 100 ms: no speaker exceeds 10 syllables/s
    private const float SyllableProminenceDb = 3;
    private const int OnsetLookbackFrames = 4;
    private const float OnsetRiseDb = 8;
    private const int OnsetRefractoryFrames = 8;

    private readonly bool _telephoneBandPitch;
    private readonly bool _melCepstrum;
    private readonly double? _harmonicEvidenceCost;

    /// <summary>Creates the extractor.</summary>
    /// <param name="telephoneBandPitch">
    /// Search pitch in 300–4000 Hz only (default), so a caller's F0 and voicing read the same over G.711 and G.722;
    /// the trained models were fitted on such measures. <see langword="false"/> searches the full band, as the
    /// hand-written rules (tuned before) expect.
    /// </param>
    /// <param name="melCepstrum">
    /// Also measure <see cref="AcousticFeatures.MelCepstrum"/> (off by default: no shipped model reads it, and it costs
    /// about a tenth of the features; training and a model that reads it turn it on).
    /// </param>
    public AcousticFeatureExtractor(bool telephoneBandPitch = true, bool melCepstrum = false)
        : this(telephoneBandPitch, melCepstrum, harmonicEvidenceCost: null)
    {
    }

    /// <summary>Creates the extractor with another harmonic-evidence cost for the octave path (pitch tests only; null: as shipped).</summary>
    internal AcousticFeatureExtractor(bool telephoneBandPitch, bool melCepstrum, double? harmonicEvidenceCost)
    {
        _telephoneBandPitch = telephoneBandPitch;
        _melCepstrum = melCepstrum;
        _harmonicEvidenceCost = harmonicEvidenceCost;
    }

    /// <inheritdoc />
    public AcousticFeatures Extract(ReadOnlySpan<float> pcm16k)
    {
        var duration = pcm16k.Length / (double)FrameTracks.SampleRate;
        using var tracks = FrameTracks.Compute(pcm16k, _telephoneBandPitch, melCepstrum: _melCepstrum, harmonicEvidenceCost: _harmonicEvidenceCost);
        var n = tracks.Count;
        var clipped = ClippedFraction(pcm16k);
        if (n == 0)
        {
            return new AcousticFeatures(0, 0, 0, 0, 0, 0, FrameTracks.FloorDb, 0, FrameTracks.FloorDb, 0, 0, 0, 0, 0, 0, 0, 0, clipped);
        }

        var activeIndices = ArrayPool<int>.Shared.Rent(n);
        var voicedIndices = ArrayPool<int>.Shared.Rent(n);
        var semitones = ArrayPool<float>.Shared.Rent(n);
        var sortedSemitones = ArrayPool<float>.Shared.Rent(n);
        try
        {
            int active = 0, voiced = 0;
            for (var i = 0; i < n; i++)
            {
                if (tracks.IsActive(i))
                {
                    activeIndices[active++] = i;
                }

                if (tracks.F0Hz[i] > 0)
                {
                    voicedIndices[voiced++] = i;
                }
            }

            var activeSpan = activeIndices.AsSpan(0, active);
            var voicedSpan = voicedIndices.AsSpan(0, voiced);
            var level = active > 0 ? TrackStatistics.MeanStd(tracks.LevelDb, activeSpan) : (Mean: (double)tracks.PeakDb, Std: 0.0);
            var energySlope = TrackStatistics.Slope(tracks.LevelDb, activeSpan, FrameTracks.HopSeconds);

            double pitchMean = 0, pitchStd = 0, pitchRange = 0, pitchSlope = 0;
            if (voiced > 0)
            {
                // The span's pitch is the densest pitch of its confidently voiced frames, not their mean: through a
                // telephone line it stays put where the mean and the median move (PitchCentre). The spread, range and
                // slope below are the same whatever the reference.
                pitchMean = PitchCentre.Estimate(tracks.F0Hz, tracks.SyllableBandDb, sortedSemitones);
                for (var i = 0; i < n; i++)
                {
                    semitones[i] = tracks.F0Hz[i] > 0 ? (float)(12 * Math.Log2(tracks.F0Hz[i] / pitchMean)) : 0;
                }

                pitchStd = TrackStatistics.MeanStd(semitones, voicedSpan).Std;
                pitchSlope = TrackStatistics.Slope(semitones, voicedSpan, FrameTracks.HopSeconds);
                for (var k = 0; k < voiced; k++)
                {
                    sortedSemitones[k] = semitones[voicedSpan[k]];
                }

                var sorted = sortedSemitones.AsSpan(0, voiced);
                sorted.Sort();
                pitchRange = TrackStatistics.Quantile(sorted, 0.95) - TrackStatistics.Quantile(sorted, 0.05);
            }

            // HNR of voiced frames per the contract; a span with no voiced frame is measured over its active frames
            // instead, so breath and noise read as strongly negative rather than an uninformative 0.
            var hnrFrames = voiced > 0 ? voicedSpan : activeSpan;
            double hnr = 0;
            foreach (var i in hnrFrames)
            {
                var r = Math.Clamp(tracks.Periodicity[i], 1e-4, 0.9999);
                hnr += 10 * Math.Log10(r / (1 - r));
            }

            hnr = hnrFrames.IsEmpty ? 0 : hnr / hnrFrames.Length;
            var flatness = TrackStatistics.MeanStd(tracks.Flatness, activeSpan).Mean;
            var tilt = TrackStatistics.MeanStd(tracks.TiltDbPerOctave, activeSpan).Mean;

            var (pauseCount, pauseFrames) = Pauses(tracks);
            var speechSeconds = Math.Max(0, (ActiveExtentFrames(tracks) - pauseFrames) * FrameTracks.HopSeconds);
            var syllables = SyllableNuclei(tracks);
            var rate = speechSeconds >= 0.1 ? syllables / speechSeconds : 0;
            var bursts = Onsets(tracks);

            return new AcousticFeatures(
                duration,
                voiced / (double)n,
                TrackStatistics.Finite(pitchMean),
                pitchStd,
                TrackStatistics.Finite(pitchRange),
                pitchSlope,
                level.Mean,
                level.Std,
                tracks.PeakDb,
                energySlope,
                TrackStatistics.Finite(hnr),
                flatness,
                tilt,
                TrackStatistics.Finite(rate),
                pauseCount,
                Math.Clamp(pauseFrames / (double)n, 0, 1),
                duration > 0 ? bursts / Math.Max(duration, 0.1) : 0,
                clipped)
            {
                Shape = SpectralShapes.Measure(tracks, activeSpan),
                Envelope = EnvelopeShapes.Measure(tracks, activeSpan),
                Dynamics = BurstDynamicsMeasure.Measure(tracks, activeSpan),
                MelCepstrum = _melCepstrum ? MelCepstra.Measure(tracks, activeSpan) : null,
            };
        }
        finally
        {
            ArrayPool<int>.Shared.Return(activeIndices);
            ArrayPool<int>.Shared.Return(voicedIndices);
            ArrayPool<float>.Shared.Return(semitones);
            ArrayPool<float>.Shared.Return(sortedSemitones);
        }
    }

    /// <summary>Energy onsets: a rise of 8 dB within 40 ms into the active range, at most one per 80 ms.</summary>
    private static int Onsets(FrameTracks tracks)
    {
        var level = tracks.LevelDb;
        var count = 0;
        var last = int.MinValue / 2;
        for (var i = 1; i < tracks.Count; i++)
        {
            if (!tracks.IsActive(i) || i - last < OnsetRefractoryFrames)
            {
                continue;
            }

            var minimum = level[i];
            for (var k = Math.Max(0, i - OnsetLookbackFrames); k < i; k++)
            {
                minimum = Math.Min(minimum, level[k]);
            }

            if (level[i] - minimum >= OnsetRiseDb)
            {
                count++;
                last = i;
            }
        }

        return count;
    }

    private static float ClippedFraction(ReadOnlySpan<float> pcm)
    {
        if (pcm.IsEmpty)
        {
            return 0;
        }

        var clipped = 0;
        foreach (var s in pcm)
        {
            if (Math.Abs(s) >= ClipLevel)
            {
                clipped++;
            }
        }

        return clipped / (float)pcm.Length;
    }

    /// <summary>Gaps of ≥150 ms of inactive frames with activity on both sides (leading/trailing silence is no pause).</summary>
    private static (int Count, int Frames) Pauses(FrameTracks tracks)
    {
        int count = 0, frames = 0, run = 0;
        var seenActive = false;
        for (var i = 0; i < tracks.Count; i++)
        {
            if (tracks.IsActive(i))
            {
                if (seenActive && run >= MinimumPauseFrames)
                {
                    count++;
                    frames += run;
                }

                seenActive = true;
                run = 0;
            }
            else
            {
                run++;
            }
        }

        return (count, frames);
    }

    private static int ActiveExtentFrames(FrameTracks tracks)
    {
        int first = -1, last = -1;
        for (var i = 0; i < tracks.Count; i++)
        {
            if (tracks.IsActive(i))
            {
                if (first < 0)
                {
                    first = i;
                }

                last = i;
            }
        }

        return first < 0 ? 0 : last - first + 1;
    }

    /// <summary>
    /// Syllable nuclei (after de Jong &amp; Wempe 2009): voiced local maxima of the 300–2000 Hz band level that stand
    /// 3 dB above the dip since the previous nucleus, at least 100 ms apart.
    /// </summary>
    private static int SyllableNuclei(FrameTracks tracks)
    {
        var band = tracks.SyllableBandDb;
        var count = 0;
        var lastPeak = int.MinValue / 2;
        var dip = float.MaxValue;
        for (var i = 1; i < tracks.Count - 1; i++)
        {
            var smoothed = Smoothed(band, i);
            dip = Math.Min(dip, smoothed);
            var isPeak = smoothed >= Smoothed(band, i - 1) && smoothed > Smoothed(band, i + 1);
            if (!isPeak || tracks.F0Hz[i] <= 0 || !tracks.IsActive(i) || smoothed - dip < SyllableProminenceDb)
            {
                continue;
            }

            if (i - lastPeak >= MinimumSyllableSpacingFrames)
            {
                count++;
                lastPeak = i;
                dip = smoothed;
            }
        }

        return count;
    }

    private static float Smoothed(ReadOnlySpan<float> values, int i)
    {
        var lo = Math.Max(i - 1, 0);
        var hi = Math.Min(i + 1, values.Length - 1);
        float sum = 0;
        for (var k = lo; k <= hi; k++)
        {
            sum += values[k];
        }

        return sum / (hi - lo + 1);
    }
}
