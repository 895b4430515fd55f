namespace StepAudio.Telephony.Inference.Paralinguistics.Models;

/// <summary>What a classifier said about one span.</summary>
/// <param name="Emotions">Scores of the model's emotion classes, renormalised to sum to 1 over them, highest first;
/// empty when the model maps no class to an emotion.</param>
/// <param name="Events">Probability of each mapped vocal-event class (not renormalised), highest first.</param>
public sealed record AudioClassification(IReadOnlyList<EmotionScore> Emotions, IReadOnlyList<VocalEventScore> Events);
