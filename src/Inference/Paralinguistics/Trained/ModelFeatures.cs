using StepAudio.Telephony.Inference.Paralinguistics.Emotion;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// The named measures a trained model may read: the documented <see cref="AcousticFeatures"/>, the
/// <see cref="SpectralShape"/> summary, and measures relative to the caller's running baseline: level, pitch, rate and
/// HNR against <see cref="SpeakerBaseline.Norms"/> (or the population norm when no baseline is known), and the tilt and
/// mel-band levels against the caller's own spectrum (<see cref="CallerSpectrum"/>; 0 until the call has speech), so
/// that the handset's and line's colour, the same on every span of a call, drops out.
/// Absolute level is deliberately absent: it measures the line's gain as much as the caller.
/// </summary>
public static class ModelFeatures
{
    private const int Bands = Features.SpectralTables.BandCount;

    /// <summary>The <see cref="EnvelopeShape"/> measures (the vocal-event models read them; the emotion model does not).</summary>
    public static IReadOnlyList<string> EnvelopeNames { get; } =
    [
        "active_voiced_fraction", "periodicity_mean", "periodicity_std", "voiced_runs_per_s", "voiced_run_mean_s",
        "envelope_rhythm", "active_share", "spectral_flux_db", "pitch_jump_st", "level_skew",
        .. Enumerable.Range(1, EnvelopeShape.Coefficients).Select(c => $"cep{c}_mean"),
        .. Enumerable.Range(1, EnvelopeShape.Coefficients).Select(c => $"cep{c}_std"),
        .. Enumerable.Range(1, EnvelopeShape.Coefficients).Select(c => $"cep{c}_delta"),
    ];

    /// <summary>The <see cref="BurstDynamics"/> measures (the vocal-event models read them; the emotion model does not).</summary>
    public static IReadOnlyList<string> DynamicsNames { get; } =
    [
        "attack_db_per_s", "decay_db_per_s", "sustain_share",
        .. BurstDynamics.ModulationBands.Select(b => $"modulation_{(int)b.Low}_{(int)b.High}hz_share"),
        "pitch_contour_st", "pitch_curvature_st", "flatness_change", "periodicity_change", "low_share_change",
        .. Enumerable.Range(1, Bands).Select(b => $"mel{b}_contrast_db"),
        .. Enumerable.Range(1, Bands).Select(b => $"mel{b}_delta_db"),
    ];

    /// <summary>
    /// The <see cref="MelCepstrum"/> measures (the vocal-event models may read them; the emotion model does not). They
    /// come last, so the measures before keep their positions and values.
    /// </summary>
    public static IReadOnlyList<string> MelCepstrumNames { get; } =
    [
        .. Enumerable.Range(1, MelCepstrum.Coefficients).Select(c => $"mfcc{c}_mean"),
        .. Enumerable.Range(1, MelCepstrum.Coefficients).Select(c => $"mfcc{c}_std"),
        .. Enumerable.Range(1, MelCepstrum.Coefficients).Select(c => $"mfcc{c}_delta"),
        "onset_flux_db", "onset_flux_std_db",
    ];

    /// <summary>Every measure's name, in the order <see cref="Compute"/> writes them.</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    /// <summary>Where <paramref name="name"/> sits in <see cref="Names"/> (and in what <see cref="Compute"/> writes); −1 for an unknown measure.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes every measure of <paramref name="f"/> into <paramref name="values"/> (length <see cref="Names"/>.Count).</summary>
    /// <param name="f">The span's measures.</param>
    /// <param name="norms">The caller's baseline norms, or the population's.</param>
    /// <param name="values">Destination.</param>
    public static void Compute(AcousticFeatures f, EmotionNorms norms, Span<double> values)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(norms);
        var voiced = f.PitchMeanHz > 0;
        var k = 0;
        values[k++] = f.DurationSeconds;
        values[k++] = f.VoicedFraction;
        values[k++] = voiced ? 12 * Math.Log2(f.PitchMeanHz / 100) : 0;
        values[k++] = f.PitchStdSemitones;
        values[k++] = f.PitchRangeSemitones;
        values[k++] = f.PitchSlopeSemitonesPerSecond;
        values[k++] = f.EnergyStdDb;
        values[k++] = f.EnergyPeakDbfs - f.EnergyMeanDbfs;
        values[k++] = f.EnergySlopeDbPerSecond;
        values[k++] = f.HarmonicsToNoiseDb;
        values[k++] = f.SpectralFlatness;
        values[k++] = f.SpectralTiltDbPerOctave;
        values[k++] = f.SpeakingRateSyllablesPerSecond;
        values[k++] = f.PauseFraction;
        values[k++] = f.BurstRatePerSecond;
        values[k++] = f.EnergyMeanDbfs - norms.LevelDbfs.Mean;
        values[k++] = voiced ? 12 * Math.Log2(f.PitchMeanHz / norms.PitchHz) : 0;
        values[k++] = f.SpeakingRateSyllablesPerSecond - norms.RateSyllablesPerSecond.Mean;
        values[k++] = f.HarmonicsToNoiseDb - norms.HarmonicsToNoiseDb.Mean;
        var shape = f.Shape;
        for (var b = 0; b < Bands; b++)
        {
            values[k++] = shape is not null && b < shape.BandLevelsDb.Count ? shape.BandLevelsDb[b] : 0;
        }

        for (var b = 0; b < Bands; b++)
        {
            values[k++] = shape is not null && b < shape.BandLevelStdDb.Count ? shape.BandLevelStdDb[b] : 0;
        }

        values[k++] = shape?.FlatnessStd ?? 0;
        values[k++] = shape?.LowBandShare ?? 0;
        values[k++] = shape?.PeakPosition ?? 0;

        // Against the caller's own colour: shrunk towards no difference until the call has some speech (CallerSpectrum).
        var spectrum = norms.Spectrum;
        values[k++] = spectrum is null ? 0 : spectrum.Weight * (f.SpectralTiltDbPerOctave - spectrum.TiltDbPerOctave);
        for (var b = 0; b < Bands; b++)
        {
            values[k++] = spectrum is null || shape is null || b >= shape.BandLevelsDb.Count || b >= spectrum.BandLevelsDb.Count
                ? 0
                : spectrum.Weight * (shape.BandLevelsDb[b] - spectrum.BandLevelsDb[b]);
        }

        var envelope = f.Envelope;
        values[k++] = envelope?.ActiveVoicedFraction ?? 0;
        values[k++] = envelope?.PeriodicityMean ?? 0;
        values[k++] = envelope?.PeriodicityStd ?? 0;
        values[k++] = envelope?.VoicedRunsPerSecond ?? 0;
        values[k++] = envelope?.VoicedRunMeanSeconds ?? 0;
        values[k++] = envelope?.EnvelopeRhythm ?? 0;
        values[k++] = envelope?.ActiveShare ?? 0;
        values[k++] = envelope?.SpectralFluxDb ?? 0;
        values[k++] = envelope?.PitchJumpSemitones ?? 0;
        values[k++] = envelope?.LevelSkew ?? 0;
        foreach (var series in (IReadOnlyList<double>?[])[envelope?.CepstrumMean, envelope?.CepstrumStd, envelope?.CepstrumDelta])
        {
            for (var c = 0; c < EnvelopeShape.Coefficients; c++)
            {
                values[k++] = series is not null && c < series.Count ? series[c] : 0;
            }
        }

        var dynamics = f.Dynamics;
        values[k++] = dynamics?.AttackDbPerSecond ?? 0;
        values[k++] = dynamics?.DecayDbPerSecond ?? 0;
        values[k++] = dynamics?.SustainShare ?? 0;
        for (var m = 0; m < BurstDynamics.ModulationBands.Count; m++)
        {
            values[k++] = dynamics is not null && m < dynamics.ModulationShares.Count ? dynamics.ModulationShares[m] : 0;
        }

        values[k++] = dynamics?.PitchContourSemitones ?? 0;
        values[k++] = dynamics?.PitchCurvature ?? 0;
        values[k++] = dynamics?.FlatnessChange ?? 0;
        values[k++] = dynamics?.PeriodicityChange ?? 0;
        values[k++] = dynamics?.LowShareChange ?? 0;
        foreach (var series in (IReadOnlyList<double>?[])[dynamics?.BandContrastDb, dynamics?.BandDeltaDb])
        {
            for (var b = 0; b < Bands; b++)
            {
                values[k++] = series is not null && b < series.Count ? series[b] : 0;
            }
        }

        var cepstrum = f.MelCepstrum;
        foreach (var series in (IReadOnlyList<double>?[])[cepstrum?.Mean, cepstrum?.Std, cepstrum?.Delta])
        {
            for (var c = 0; c < MelCepstrum.Coefficients; c++)
            {
                values[k++] = series is not null && c < series.Count ? series[c] : 0;
            }
        }

        values[k++] = cepstrum?.OnsetFluxDb ?? 0;
        values[k++] = cepstrum?.OnsetFluxStdDb ?? 0;
        for (var i = 0; i < k; i++)
        {
            values[i] = FiniteGuard.Clean(values[i]);
        }
    }

    private static string[] BuildNames()
    {
        List<string> names =
        [
            "duration_s", "voiced_fraction", "pitch_st_re_100hz", "pitch_std_st", "pitch_range_st", "pitch_slope_st_per_s",
            "level_std_db", "level_peak_over_mean_db", "level_slope_db_per_s", "hnr_db", "flatness", "tilt_db_per_octave",
            "rate_syll_per_s", "pause_fraction", "burst_rate_per_s",
            "level_re_caller_db", "pitch_re_caller_st", "rate_re_caller", "hnr_re_caller_db",
        ];
        for (var b = 0; b < Bands; b++)
        {
            names.Add($"mel{b + 1}_db");
        }

        for (var b = 0; b < Bands; b++)
        {
            names.Add($"mel{b + 1}_std_db");
        }

        names.AddRange(["flatness_std", "low_band_share", "peak_position", "tilt_re_caller_db_per_octave"]);
        names.AddRange(Enumerable.Range(1, Bands).Select(b => $"mel{b}_re_caller_db"));

        names.AddRange(EnvelopeNames);
        names.AddRange(DynamicsNames);
        names.AddRange(MelCepstrumNames);
        return [.. names];
    }
}
