namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Judges emotion from the acoustic measures of a speech span. Implementations are thread-safe.</summary>
public interface IEmotionEstimator
{
    /// <summary>Estimates arousal, valence and a label; never returns NaN.</summary>
    EmotionEstimate Estimate(AcousticFeatures features);
}
