namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>A detected vocal sound.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Offset from the start of the call's audio.</param>
/// <param name="Duration">How long it lasted.</param>
/// <param name="Confidence">0–1.</param>
public sealed record VocalEvent(VocalEventKind Kind, TimeSpan Start, TimeSpan Duration, double Confidence)
{
    /// <summary>The measures that drove a trained model's decision, strongest first (empty for the hand rules).</summary>
    public IReadOnlyList<CueContribution> Cues { get; init; } = [];
}
