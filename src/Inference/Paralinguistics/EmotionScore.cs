namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>One label's score in an <see cref="EmotionEstimate"/>.</summary>
public readonly record struct EmotionScore(EmotionLabel Label, double Score);
