namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>What a call's analysis adds to <c>CallEnded</c>.</summary>
/// <param name="PeakFrustration">Highest frustration score.</param>
/// <param name="VocalEvents">Vocal sounds per kind name.</param>
/// <param name="SpeechSeconds">Caller speech, summed over segments.</param>
/// <param name="BargeIns">Times the caller spoke over a prompt.</param>
/// <param name="Skipped">Spans not analysed because the queue was full.</param>
/// <param name="TurnEndP50">Median end-of-turn latency, wall clock.</param>
/// <param name="TurnEndP95">95th percentile end-of-turn latency, wall clock.</param>
public sealed record CallAnalysisSummary(
    double PeakFrustration,
    IReadOnlyDictionary<string, int> VocalEvents,
    double SpeechSeconds,
    int BargeIns,
    int Skipped,
    TimeSpan TurnEndP50,
    TimeSpan TurnEndP95);
