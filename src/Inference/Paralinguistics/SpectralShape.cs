namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// Spectral-envelope summary of a span's active frames over 300–3400 Hz (what the trained classifiers read besides
/// the prosodic measures): mel-band levels relative to the frame's total, so the caller's loudness and the line's gain
/// do not enter, and how much they move.
/// </summary>
/// <param name="BandLevelsDb">Mean level of each of 8 mel-spaced bands relative to the frame's total, dB (low to high).</param>
/// <param name="BandLevelStdDb">Standard deviation over frames of each band's relative level, dB.</param>
/// <param name="FlatnessStd">Standard deviation of spectral flatness over active frames.</param>
/// <param name="LowBandShare">Mean share of the band's power below 1 kHz (a throat clear is dark, a gasp bright).</param>
/// <param name="PeakPosition">Where the loudest frame falls in the active extent, 0 (start) – 1 (end).</param>
public sealed record SpectralShape(
    IReadOnlyList<double> BandLevelsDb,
    IReadOnlyList<double> BandLevelStdDb,
    double FlatnessStd,
    double LowBandShare,
    double PeakPosition);
