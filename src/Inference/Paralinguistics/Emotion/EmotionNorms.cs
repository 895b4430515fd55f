namespace StepAudio.Telephony.Inference.Paralinguistics.Emotion;

/// <summary>
/// The reference the emotion cues are z-scored against: a mean and a spread per measure. <see cref="TelephoneSpeech"/>
/// is a population norm; a caller that knows the speaker (a per-call baseline from their first calm turns) passes its
/// own, which removes the largest confound (a high-voiced caller is not excited by default).
/// </summary>
/// <param name="LevelDbfs">Active speech level and spread.</param>
/// <param name="PitchHz">Mean F0; its spread is in <paramref name="PitchSpreadSemitones"/>.</param>
/// <param name="PitchSpreadSemitones">Spread of speakers' mean F0 around <paramref name="PitchHz"/>.</param>
/// <param name="PitchStdSemitones">Within-utterance F0 variability and spread.</param>
/// <param name="PitchRangeSemitones">5–95 % F0 range and spread.</param>
/// <param name="RateSyllablesPerSecond">Speaking rate and spread.</param>
/// <param name="HarmonicsToNoiseDb">HNR of voiced frames and spread.</param>
/// <param name="TiltDbPerOctave">Spectral tilt over 300–3400 Hz and spread.</param>
/// <param name="PauseFraction">Share of pauses and spread.</param>
public sealed record EmotionNorms(
    (double Mean, double Spread) LevelDbfs,
    double PitchHz,
    double PitchSpreadSemitones,
    (double Mean, double Spread) PitchStdSemitones,
    (double Mean, double Spread) PitchRangeSemitones,
    (double Mean, double Spread) RateSyllablesPerSecond,
    (double Mean, double Spread) HarmonicsToNoiseDb,
    (double Mean, double Spread) TiltDbPerOctave,
    (double Mean, double Spread) PauseFraction)
{
    /// <summary>The caller's own spectral colour (<see cref="SpeakerBaseline"/>); <see langword="null"/> for a population norm.</summary>
    public CallerSpectrum? Spectrum { get; init; }

    /// <summary>
    /// Telephone speech: active level −26 dBFS ± 6 (ITU-T P.56 nominal level), F0 150 Hz ± 4 semitones (between
    /// typical male ~120 Hz and female ~210 Hz), F0 std 2.5 ± 1 st, range 7 ± 3 st, 4.5 ± 1.2 syllables/s,
    /// HNR 10 ± 5 dB, tilt −10 ± 4 dB/octave, pauses 15 ± 10 % of a turn.
    /// </summary>
    public static EmotionNorms TelephoneSpeech { get; } = new(
        (-26, 6), 150, 4, (2.5, 1), (7, 3), (4.5, 1.2), (10, 5), (-10, 4), (0.15, 0.1));
}
