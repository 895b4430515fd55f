namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// How a short vocal sound starts, moves and ends, beyond <see cref="EnvelopeShape"/>'s averages: the cues that tell a
/// gasp (sudden onset, bright, short sustain), a sigh (slow decay, breath getting darker), laughter (level modulated at
/// 4–8 Hz) and sobbing (unsteady, voiced, pitch curving) apart from other bursts. Measured over the active extent
/// (first to last active frame); no measure is an absolute length, so a recording's cut does not become a cue.
/// </summary>
/// <param name="AttackDbPerSecond">Level rise from the first active frame to the loudest, per second (a gasp: steep).</param>
/// <param name="DecayDbPerSecond">Least-squares slope of the level from the loudest frame to the last active one (a sigh: long and negative).</param>
/// <param name="SustainShare">Share of the active extent within 6 dB of the loudest frame.</param>
/// <param name="ModulationShares">
/// Share of the level envelope's variance at 1–3, 3–6 and 6–12 Hz (syllabic, laughter-pulse and flutter rates).
/// </param>
/// <param name="PitchContourSemitones">Mean F0 of the last third of the voiced frames minus the first third, semitones.</param>
/// <param name="PitchCurvature">Quadratic coefficient of F0 (semitones) over the voiced frames' position 0–1 (an arch is negative).</param>
/// <param name="FlatnessChange">Spectral flatness of the second half of the active frames minus the first half.</param>
/// <param name="PeriodicityChange">Periodicity of the second half minus the first half (voice fading into breath: negative).</param>
/// <param name="LowShareChange">Share of power below 1 kHz, second half minus first half (a sigh darkens).</param>
/// <param name="BandContrastDb">
/// Per mel band (300–3400 Hz, low to high), the loudest bin over the band's mean log power, dB, averaged over active
/// frames: harmonics and formants stand out (voice), breath and noise are flat (spectral contrast).
/// </param>
/// <param name="BandDeltaDb">Per mel band, the mean absolute change of its relative level between consecutive active frames, dB.</param>
public sealed record BurstDynamics(
    double AttackDbPerSecond,
    double DecayDbPerSecond,
    double SustainShare,
    IReadOnlyList<double> ModulationShares,
    double PitchContourSemitones,
    double PitchCurvature,
    double FlatnessChange,
    double PeriodicityChange,
    double LowShareChange,
    IReadOnlyList<double> BandContrastDb,
    IReadOnlyList<double> BandDeltaDb)
{
    /// <summary>Modulation-rate bands of <see cref="ModulationShares"/>, Hz (lower edge inclusive, upper exclusive).</summary>
    public static IReadOnlyList<(double Low, double High)> ModulationBands { get; } = [(1, 3), (3, 6), (6, 12)];
}
