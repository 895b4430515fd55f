namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// Keeps NaN and infinities out of what the analyzer publishes, whatever its components return: a non-finite value
/// becomes 0 (the contract's "undefined for this span"), so downstream JSON and averages never break.
/// </summary>
internal static class FiniteGuard
{
    public static double Clean(double value) => double.IsFinite(value) ? value : 0;

    public static double Unit(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;

    public static double Signed(double value) => double.IsFinite(value) ? Math.Clamp(value, -1, 1) : 0;

    public static AcousticFeatures Clean(AcousticFeatures f) => f with
    {
        DurationSeconds = Clean(f.DurationSeconds),
        VoicedFraction = Unit(f.VoicedFraction),
        PitchMeanHz = Clean(f.PitchMeanHz),
        PitchStdSemitones = Clean(f.PitchStdSemitones),
        PitchRangeSemitones = Clean(f.PitchRangeSemitones),
        PitchSlopeSemitonesPerSecond = Clean(f.PitchSlopeSemitonesPerSecond),
        EnergyMeanDbfs = Clean(f.EnergyMeanDbfs),
        EnergyStdDb = Clean(f.EnergyStdDb),
        EnergyPeakDbfs = Clean(f.EnergyPeakDbfs),
        EnergySlopeDbPerSecond = Clean(f.EnergySlopeDbPerSecond),
        HarmonicsToNoiseDb = Clean(f.HarmonicsToNoiseDb),
        SpectralFlatness = Unit(f.SpectralFlatness),
        SpectralTiltDbPerOctave = Clean(f.SpectralTiltDbPerOctave),
        SpeakingRateSyllablesPerSecond = Clean(f.SpeakingRateSyllablesPerSecond),
        PauseFraction = Unit(f.PauseFraction),
        BurstRatePerSecond = Clean(f.BurstRatePerSecond),
        ClippedFraction = Unit(f.ClippedFraction),
    };

    public static EmotionEstimate Clean(EmotionEstimate e) => e with
    {
        Confidence = Unit(e.Confidence),
        Arousal = Signed(e.Arousal),
        Valence = Signed(e.Valence),
        Scores = [.. e.Scores.Select(s => s with { Score = Unit(s.Score) })],
    };
}
