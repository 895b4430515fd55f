namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Judges emotion from the acoustic measures of a speech span. Implementations are thread-safe.</summary>
public interface IEmotionEstimator
{
    /// <summary>Estimates arousal, valence and a label; never returns NaN.</summary>
    /// <param name="features">The span's measures.</param>
    /// <param name="speaker">
    /// What this caller's voice has sounded like so far, when known: a naturally low or quiet voice is then not read
    /// as sad. <see langword="null"/> judges against population norms.
    /// </param>
    EmotionEstimate Estimate(AcousticFeatures features, Emotion.SpeakerBaseline? speaker = null);
}
