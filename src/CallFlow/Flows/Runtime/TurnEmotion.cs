namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>How the caller sounded in one turn.</summary>
/// <param name="Label">The winning label (<c>Neutral</c>, <c>Angry</c>, …).</param>
/// <param name="Confidence">0–1: how far the winner is ahead of the runner-up.</param>
/// <param name="Arousal">−1 calm to +1 excited.</param>
/// <param name="Valence">−1 negative to +1 positive.</param>
/// <param name="TopScores">The highest label scores, highest first (label, score).</param>
/// <param name="TopCues">The measures that drove a trained model's label, strongest either way first (measure, contribution
/// in logits); empty for the hand rules, whose explanation is arousal and valence.</param>
public sealed record TurnEmotion(
    string Label,
    double Confidence,
    double Arousal,
    double Valence,
    IReadOnlyList<KeyValuePair<string, double>> TopScores,
    IReadOnlyList<KeyValuePair<string, double>>? TopCues = null)
{
    /// <summary>What a flow reads as <c>emotion</c> when the turn's analysis is not done.</summary>
    public const string Unknown = "unknown";
}
