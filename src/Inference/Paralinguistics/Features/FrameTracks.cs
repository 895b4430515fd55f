using System.Buffers;

namespace StepAudio.Telephony.Inference.Paralinguistics.Features;

/// <summary>
/// Per-frame measures of a span (10 ms hop, 32 ms frames at 16 kHz) that both the feature summary and the vocal-event
/// detector are built from. Arrays are rented from <see cref="ArrayPool{T}"/> for the span and returned on dispose, so
/// the hot loop allocates nothing; a frame that has no value for a measure holds 0 (pitch) or its floor. The frames and
/// their levels come from <see cref="FrameWindow"/>, the spectral measures from <see cref="FrameSpectra"/>; the pitch
/// track (<see cref="YinPitchTracker"/>, <see cref="PitchPathFinder"/>) and the activity threshold are kept here.
/// </summary>
internal sealed class FrameTracks : IDisposable
{
    public const int SampleRate = 16_000;
    public const int Hop = 160;
    public const double HopSeconds = Hop / (double)SampleRate;

    /// <summary>Frame levels are clamped here: digital silence must stay finite.</summary>
    public const float FloorDb = -100f;

    private const int FrameLength = SpectralTables.FrameLength;

    private readonly float[] _level;
    private readonly float[] _f0;
    private readonly float[] _periodicity;
    private readonly FrameSpectra _spectra;

    private FrameTracks(int count, bool melCepstrum)
    {
        Count = count;
        var size = Math.Max(count, 1);
        _level = ArrayPool<float>.Shared.Rent(size);
        _f0 = ArrayPool<float>.Shared.Rent(size);
        _periodicity = ArrayPool<float>.Shared.Rent(size);
        _spectra = new FrameSpectra(count, melCepstrum);
    }

    /// <summary>Number of 10 ms frames (ceil(samples / 160)).</summary>
    public int Count { get; }

    /// <summary>Frame RMS level with the frame's DC removed, dBFS (floor −100).</summary>
    public ReadOnlySpan<float> LevelDb => _level.AsSpan(0, Count);

    /// <summary>F0 in Hz of voiced frames, 0 elsewhere.</summary>
    public ReadOnlySpan<float> F0Hz => _f0.AsSpan(0, Count);

    /// <summary>Normalised autocorrelation at the best lag in 60–500 Hz (0 for inactive frames).</summary>
    public ReadOnlySpan<float> Periodicity => _periodicity.AsSpan(0, Count);

    /// <summary>Spectral flatness over 300–3400 Hz.</summary>
    public ReadOnlySpan<float> Flatness => _spectra.Flatness;

    /// <summary>Spectral tilt over 300–3400 Hz, dB per octave.</summary>
    public ReadOnlySpan<float> TiltDbPerOctave => _spectra.TiltDbPerOctave;

    /// <summary>Level of the 300–2000 Hz band, dB.</summary>
    public ReadOnlySpan<float> SyllableBandDb => _spectra.SyllableBandDb;

    /// <summary>Share of the 300–3400 Hz power below 1 kHz (a throat clear is dark, a gasp bright).</summary>
    public ReadOnlySpan<float> LowShare => _spectra.LowShare;

    /// <summary>
    /// Level of each of <see cref="SpectralTables.BandCount"/> mel-spaced bands over 300–3400 Hz relative to the
    /// frame's band total, dB, frame after frame (the spectral envelope without the frame's loudness; 0 when inactive).
    /// </summary>
    public ReadOnlySpan<float> BandLevelsDb => _spectra.BandLevelsDb;

    /// <summary>
    /// Per mel band, the loudest bin's log power over the band's mean log power, dB, frame after frame (spectral
    /// contrast: harmonics stand out of voice, breath is flat; 0 when inactive).
    /// </summary>
    public ReadOnlySpan<float> BandContrastDb => _spectra.BandContrastDb;

    /// <summary>
    /// Level of each of the <see cref="MelCepstrum.Bands"/> triangular mel filters over 300–3400 Hz
    /// (<see cref="MelFilterBank"/>), absolute dB, frame after frame (0 when inactive).
    /// </summary>
    /// <remarks>Empty unless <see cref="Compute"/> was asked for the mel cepstrum.</remarks>
    public ReadOnlySpan<float> MelLevelsDb => _spectra.MelLevelsDb;

    /// <summary>Adaptive noise floor: 10th percentile of frame levels.</summary>
    public float NoiseFloorDb { get; private set; }

    /// <summary>Loudest frame.</summary>
    public float PeakDb { get; private set; }

    /// <summary>Frames at or above this level are active (sound); below it, pause or silence.</summary>
    public float ActivityThresholdDb { get; private set; }

    /// <summary>Whether frame <paramref name="i"/> is active.</summary>
    public bool IsActive(int i) => _level[i] >= ActivityThresholdDb && _level[i] > FloorDb;

    /// <summary>Measures <paramref name="pcm"/>; the caller disposes the result.</summary>
    /// <param name="pcm">16 kHz audio.</param>
    /// <param name="telephoneBandPitch">
    /// Track pitch on 300–4000 Hz only, with the missing fundamental recovered and octave jumps corrected (the default,
    /// so G.711 and G.722 calls agree); <see langword="false"/> is the plain full-band YIN the hand-written rules were
    /// tuned on, and the reference track of the pitch tests.
    /// </param>
    /// <param name="recoverFundamental">
    /// Subharmonic check and octave-jump correction; by default on with <paramref name="telephoneBandPitch"/> only (the
    /// pitch tests turn it on for their full-band reference track).
    /// </param>
    /// <param name="melCepstrum">
    /// Also keep the 20 mel-filter levels per frame (<see cref="MelLevelsDb"/>): only when a model reads the mel
    /// cepstrum, or when training may (their cost is about a tenth of the features').
    /// </param>
    /// <param name="subharmonicCheck">
    /// With <paramref name="recoverFundamental"/>, whether YIN's subharmonic check runs (only the pitch tests turn it
    /// off, to measure a reference track without it).
    /// </param>
    /// <param name="harmonicEvidenceCost">
    /// The octave path's cost per 10 dB of <see cref="HarmonicEvidence"/> (default: <see cref="PitchPathFinder.HarmonicEvidenceCost"/>
    /// on the telephone band, none on the full band; 0: not measured at all).
    /// </param>
    public static FrameTracks Compute(
        ReadOnlySpan<float> pcm, bool telephoneBandPitch = true, bool? recoverFundamental = null, bool melCepstrum = false,
        bool subharmonicCheck = true, double? harmonicEvidenceCost = null)
    {
        var recover = recoverFundamental ?? telephoneBandPitch;
        var harmonicCost = harmonicEvidenceCost ?? (telephoneBandPitch ? PitchPathFinder.HarmonicEvidenceCost : 0);
        var count = (pcm.Length + Hop - 1) / Hop;
        var tracks = new FrameTracks(count, melCepstrum);
        if (count == 0)
        {
            tracks.NoiseFloorDb = FloorDb;
            tracks.PeakDb = FloorDb;
            tracks.ActivityThresholdDb = 0;
            return tracks;
        }

        // One buffer for a frame's real and imaginary parts, lent to the harmonic evidence too: measured 2026-12-07
        // (ParalinguisticsCost.Extract10Seconds, alternating runs) 3-4 % faster than two separate 512-float rents.
        var spectrum = ArrayPool<float>.Shared.Rent(2 * FrameLength);
        var frame = spectrum.AsSpan(0, FrameLength);
        var im = spectrum.AsSpan(FrameLength, FrameLength);
        var decimated = ArrayPool<float>.Shared.Rent((pcm.Length / 2) + 1);
        var fullBand = ArrayPool<float>.Shared.Rent((pcm.Length / 2) + 1);
        var pitchScratch = ArrayPool<float>.Shared.Rent(YinPitchTracker.ScratchLength);
        var candidateHz = recover ? ArrayPool<float>.Shared.Rent(count * YinPitchTracker.Candidates) : [];
        var candidateDip = recover ? ArrayPool<float>.Shared.Rent(count * YinPitchTracker.Candidates) : [];
        var candidateEvidence = recover && harmonicCost > 0 ? ArrayPool<float>.Shared.Rent(count * YinPitchTracker.Candidates) : [];
        try
        {
            for (var i = 0; i < count; i++)
            {
                tracks._level[i] = FrameWindow.LevelDb(pcm, i, frame);
            }

            tracks.SetThresholds();
            var decimatedLength = YinPitchTracker.Decimate(pcm, decimated);
            decimated.AsSpan(0, decimatedLength).CopyTo(fullBand);
            if (telephoneBandPitch)
            {
                TelephoneBandHighPass.Apply(decimated.AsSpan(0, decimatedLength));
            }

            for (var i = 0; i < count; i++)
            {
                tracks._f0[i] = 0;
                tracks._periodicity[i] = 0;
                tracks._spectra.Silence(i);
                if (!tracks.IsActive(i))
                {
                    continue;
                }

                var centre8k = ((i * Hop) + (Hop / 2)) / 2;
                var (f0, periodicity) = YinPitchTracker.Analyse(
                    decimated.AsSpan(0, decimatedLength), fullBand.AsSpan(0, decimatedLength), centre8k, pitchScratch, recover && subharmonicCheck,
                    Candidates(candidateHz, i), Candidates(candidateDip, i));
                if (candidateEvidence.Length > 0)
                {
                    Candidates(candidateEvidence, i).Clear();
                    if (f0 > 0)
                    {
                        // The frame's own spectrum below is measured after, so its two buffers are free scratch here.
                        HarmonicEvidence.Measure(
                            decimated.AsSpan(0, decimatedLength), centre8k, telephoneBandPitch ? 300 : YinPitchTracker.MinimumHz,
                            Candidates(candidateHz, i), Candidates(candidateEvidence, i), frame, im);
                    }
                }

                tracks._f0[i] = f0;
                tracks._periodicity[i] = periodicity;
                FrameWindow.Copy(pcm, i, frame);
                tracks._spectra.Measure(i, frame, im);
            }

            if (recover)
            {
                // The path first (it sees every frame's alternatives), then the local-median check for what it left.
                PitchPathFinder.Choose(
                    tracks._f0.AsSpan(0, count), candidateHz.AsSpan(0, count * YinPitchTracker.Candidates), candidateDip.AsSpan(0, count * YinPitchTracker.Candidates),
                    candidateEvidence.Length > 0 ? candidateEvidence.AsSpan(0, count * YinPitchTracker.Candidates) : [], harmonicCost);

                var correction = ArrayPool<float>.Shared.Rent(count + (2 * PitchOctaveCorrector.HalfWindowFrames) + 1);
                PitchOctaveCorrector.Correct(tracks._f0.AsSpan(0, count), correction);
                ArrayPool<float>.Shared.Return(correction);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(spectrum);
            ArrayPool<float>.Shared.Return(decimated);
            ArrayPool<float>.Shared.Return(fullBand);
            ArrayPool<float>.Shared.Return(pitchScratch);
            if (recover)
            {
                ArrayPool<float>.Shared.Return(candidateHz);
                ArrayPool<float>.Shared.Return(candidateDip);
            }

            if (candidateEvidence.Length > 0)
            {
                ArrayPool<float>.Shared.Return(candidateEvidence);
            }
        }

        return tracks;
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_level);
        ArrayPool<float>.Shared.Return(_f0);
        ArrayPool<float>.Shared.Return(_periodicity);
        _spectra.Dispose();
    }

    /// <summary>Frame <paramref name="i"/>'s slots of a per-frame candidate array (empty when candidates are not kept).</summary>
    private static Span<float> Candidates(float[] perFrame, int i) =>
        perFrame.Length == 0 ? [] : perFrame.AsSpan(i * YinPitchTracker.Candidates, YinPitchTracker.Candidates);

    private void SetThresholds()
    {
        var levels = _level.AsSpan(0, Count);
        float peak = FloorDb;
        foreach (var l in levels)
        {
            peak = Math.Max(peak, l);
        }

        // 10th percentile by a 1 dB histogram: no sort, no allocation.
        Span<int> histogram = stackalloc int[122];
        foreach (var l in levels)
        {
            histogram[Math.Clamp((int)(l - FloorDb), 0, histogram.Length - 1)]++;
        }

        var target = Math.Max(1, Count / 10);
        var seen = 0;
        var floor = FloorDb;
        for (var b = 0; b < histogram.Length; b++)
        {
            seen += histogram[b];
            if (seen >= target)
            {
                floor = FloorDb + b;
                break;
            }
        }

        NoiseFloorDb = floor;
        PeakDb = peak;

        // 6 dB above the noise floor, but never more than 40 dB under the peak (speech over digital silence) and at
        // least 15 dB under it, so a steady sound with no floor of its own (a tone, constant noise) is all active.
        var threshold = Math.Max(floor + 6, peak - 40);
        ActivityThresholdDb = Math.Min(threshold, peak - 15);
    }
}
