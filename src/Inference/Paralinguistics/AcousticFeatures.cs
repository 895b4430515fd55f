namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// Explainable acoustic measures of one span of 16 kHz audio (a speech segment or a non-speech vocal sound). Every
/// value is finite; a measure that is undefined for the span (pitch of unvoiced audio, pauses of a 50 ms burst) is 0.
/// </summary>
/// <param name="DurationSeconds">Length of the span.</param>
/// <param name="VoicedFraction">Share of 10 ms frames with a pitch, 0–1.</param>
/// <param name="PitchMeanHz">
/// The span's F0: the densest pitch of its confidently voiced frames (a mode, by mean shift; not the arithmetic mean,
/// which through a telephone line follows every stray frame; see PitchCentre). The name predates this estimate.
/// </param>
/// <param name="PitchStdSemitones">Standard deviation of F0 over voiced frames, in semitones.</param>
/// <param name="PitchRangeSemitones">5th to 95th percentile range of F0, in semitones.</param>
/// <param name="PitchSlopeSemitonesPerSecond">Least-squares slope of F0 over the span (falling intonation is negative).</param>
/// <param name="EnergyMeanDbfs">Mean frame RMS level, dB relative to full scale.</param>
/// <param name="EnergyStdDb">Standard deviation of the frame level over active frames.</param>
/// <param name="EnergyPeakDbfs">Loudest frame level.</param>
/// <param name="EnergySlopeDbPerSecond">Least-squares slope of the frame level (a sigh decays: strongly negative).</param>
/// <param name="HarmonicsToNoiseDb">Harmonics-to-noise ratio of voiced frames (autocorrelation method).</param>
/// <param name="SpectralFlatness">Geometric over arithmetic mean of the power spectrum, 0 (tonal) – 1 (white noise).</param>
/// <param name="SpectralTiltDbPerOctave">Slope of the log power spectrum over 300–3400 Hz (breathy, soft voice tilts more).</param>
/// <param name="SpeakingRateSyllablesPerSecond">Syllable nuclei (energy peaks in voiced audio) per second of speech.</param>
/// <param name="PauseCount">Silent gaps of at least 150 ms inside the span.</param>
/// <param name="PauseFraction">Share of the span that is such pauses.</param>
/// <param name="BurstRatePerSecond">Energy onsets per second (laughter is a train of 4–6 bursts per second).</param>
/// <param name="ClippedFraction">Share of samples at or near full scale.</param>
public sealed record AcousticFeatures(
    double DurationSeconds,
    double VoicedFraction,
    double PitchMeanHz,
    double PitchStdSemitones,
    double PitchRangeSemitones,
    double PitchSlopeSemitonesPerSecond,
    double EnergyMeanDbfs,
    double EnergyStdDb,
    double EnergyPeakDbfs,
    double EnergySlopeDbPerSecond,
    double HarmonicsToNoiseDb,
    double SpectralFlatness,
    double SpectralTiltDbPerOctave,
    double SpeakingRateSyllablesPerSecond,
    int PauseCount,
    double PauseFraction,
    double BurstRatePerSecond,
    double ClippedFraction)
{
    /// <summary>The spectral-envelope summary, when the extractor measured one (the built-in extractor does).</summary>
    public SpectralShape? Shape { get; init; }

    /// <summary>The temporal-envelope and voicing summary, when the extractor measured one (the built-in extractor does).</summary>
    public EnvelopeShape? Envelope { get; init; }

    /// <summary>Onset, decay, modulation and contour of the sound, when the extractor measured them (the built-in extractor does).</summary>
    public BurstDynamics? Dynamics { get; init; }

    /// <summary>
    /// The 20-filter mel cepstrum and onset flux of the sound, when the extractor measured them (the built-in extractor
    /// does when asked: for training, and when the configured vocal-event model reads them).
    /// </summary>
    public MelCepstrum? MelCepstrum { get; init; }
}
