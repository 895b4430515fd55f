namespace StepAudio.Telephony.Inference.Paralinguistics.Emotion;

/// <summary>
/// The colour of one caller's speech so far: the mean of each mel band's relative level and of the spectral tilt over
/// their speech spans. A call's handset and line colour every span the same way, as the voice does, so a span's
/// spectrum against this mean keeps what changed within the call (a raised voice is brighter than the same caller's
/// calm one) and drops what the line adds (a thin handset is brighter than a studio for everyone). This is the idea of
/// cepstral mean normalisation, applied to the summary measures the models read.
/// </summary>
/// <param name="BandLevelsDb">Mean relative level of each mel band (<see cref="SpectralShape.BandLevelsDb"/>), dB.</param>
/// <param name="TiltDbPerOctave">Mean spectral tilt.</param>
/// <param name="Weight">
/// How far a span's difference from the means is trusted, n / (n + <see cref="SpeakerBaseline.PriorSpans"/>) after n
/// spans: the difference is shrunk towards none rather than towards a population's colour, which would be the colour
/// of the corpus it was measured on.
/// </param>
public sealed record CallerSpectrum(IReadOnlyList<double> BandLevelsDb, double TiltDbPerOctave, double Weight);
