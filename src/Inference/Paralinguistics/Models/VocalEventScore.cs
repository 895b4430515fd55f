namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>A model's probability that a span holds a vocal event of one kind.</summary>
public readonly record struct VocalEventScore(VocalEventKind Kind, double Score);
