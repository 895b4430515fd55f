namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// How a span's sound moves in time and how voiced it is, over its active frames: the measures that tell a laugh (a
/// train of short voiced pulses), a sigh (one long breathy exhalation that decays), a gasp (a short bright inhalation)
/// and a sob (voiced, unsteady, repeated) apart beyond the span's averages. No measure is an absolute length, so a
/// recording's cut does not become a cue.
/// </summary>
/// <param name="ActiveVoicedFraction">Share of active frames with a pitch (voiced fraction of the sound itself, not of the span).</param>
/// <param name="PeriodicityMean">Mean normalised autocorrelation of active frames (0 breath – 1 clean voice).</param>
/// <param name="PeriodicityStd">Its standard deviation over active frames.</param>
/// <param name="VoicedRunsPerSecond">Runs of consecutive voiced frames per second of the active extent (laughter: many).</param>
/// <param name="VoicedRunMeanSeconds">Mean length of a voiced run.</param>
/// <param name="EnvelopeRhythm">Highest normalised autocorrelation of the level envelope at 2.5–8 Hz (laughter's pulse rate).</param>
/// <param name="ActiveShare">Share of the active extent (first to last active frame) that is active.</param>
/// <param name="SpectralFluxDb">Mean RMS change of the 8 relative mel-band levels between consecutive active frames, dB.</param>
/// <param name="PitchJumpSemitones">Mean absolute F0 change between consecutive voiced frames, semitones (voice breaks, sobs).</param>
/// <param name="LevelSkew">Skewness of the active frames' level (a sigh: few loud frames and a long quiet tail).</param>
/// <param name="CepstrumMean">Mean over active frames of cepstral coefficients 1–7 (DCT-II of the 8 relative mel-band levels).</param>
/// <param name="CepstrumStd">Their standard deviations.</param>
/// <param name="CepstrumDelta">Their mean absolute change between consecutive active frames (deltas).</param>
public sealed record EnvelopeShape(
    double ActiveVoicedFraction,
    double PeriodicityMean,
    double PeriodicityStd,
    double VoicedRunsPerSecond,
    double VoicedRunMeanSeconds,
    double EnvelopeRhythm,
    double ActiveShare,
    double SpectralFluxDb,
    double PitchJumpSemitones,
    double LevelSkew,
    IReadOnlyList<double> CepstrumMean,
    IReadOnlyList<double> CepstrumStd,
    IReadOnlyList<double> CepstrumDelta)
{
    /// <summary>Cepstral coefficients kept (1 … this; c0 is the band total, removed by the relative levels).</summary>
    public const int Coefficients = 7;
}
