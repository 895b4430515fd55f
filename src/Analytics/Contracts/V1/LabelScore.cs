namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>One emotion label's score in an <see cref="EmotionDetected"/> event.</summary>
/// <param name="Label">The label, for example <c>Angry</c>.</param>
/// <param name="Score">0–1.</param>
public sealed record LabelScore(string Label, double Score);
