namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>An emotion judgement for one span, with the dimensional estimates it came from.</summary>
/// <param name="Label">The winning label, or <see cref="EmotionLabel.Ambiguous"/>.</param>
/// <param name="Confidence">0–1; how far the winner is ahead of the runner-up.</param>
/// <param name="Arousal">Activation, −1 (calm) to +1 (excited).</param>
/// <param name="Valence">−1 (negative) to +1 (positive).</param>
/// <param name="Scores">Every label's score, 0–1, highest first.</param>
/// <param name="Source">What produced it: <c>acoustic</c> for the built-in rules, or a configured model's name.</param>
public sealed record EmotionEstimate(
    EmotionLabel Label,
    double Confidence,
    double Arousal,
    double Valence,
    IReadOnlyList<EmotionScore> Scores,
    string Source)
{
    /// <summary>The measures that drove a trained model's decision, strongest first (empty for the hand rules, whose
    /// explanation is <see cref="Arousal"/> and <see cref="Valence"/>).</summary>
    public IReadOnlyList<CueContribution> Cues { get; init; } = [];
}
