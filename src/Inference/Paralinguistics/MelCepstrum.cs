namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// Finer spectral-envelope summary of a span's active frames for the vocal-event models: mel-frequency cepstral
/// coefficients over <see cref="Bands"/> triangular mel filters on 300–3400 Hz (so G.711 and G.722 calls read the same),
/// and how fast the log-mel spectrum rises (onsets). The <see cref="EnvelopeShape"/> cepstrum is taken from 8 wide bands,
/// too coarse to see formant positions; these 20 filters resolve them. Coefficient 0 (the frame's loudness) is left
/// out, so neither the caller's level nor the line's gain enters.
/// </summary>
/// <param name="Mean">Mean over active frames of coefficients 1 … <see cref="Coefficients"/> (orthonormal DCT-II of the filters' dB levels).</param>
/// <param name="Std">Their standard deviations over active frames.</param>
/// <param name="Delta">Their mean absolute change between consecutive active frames.</param>
/// <param name="OnsetFluxDb">
/// Mean over consecutive active frames of the filters' rectified level rise (mean over filters of max(0, rise)), dB:
/// a gasp or laugh pulse starts abruptly, a sigh does not.
/// </param>
/// <param name="OnsetFluxStdDb">Its standard deviation (a train of pulses varies, a steady breath does not).</param>
public sealed record MelCepstrum(
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    IReadOnlyList<double> Delta,
    double OnsetFluxDb,
    double OnsetFluxStdDb)
{
    /// <summary>Triangular mel filters over 300–3400 Hz.</summary>
    public const int Bands = 20;

    /// <summary>Cepstral coefficients kept (1 … this).</summary>
    public const int Coefficients = 12;
}
