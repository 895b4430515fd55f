namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>A call in progress as the live page shows it.</summary>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Flow">The flow answering it, or <c>(none)</c>.</param>
/// <param name="From">The caller, masked: only the last four characters of the user part are shown.</param>
/// <param name="StartedAt">When the call was answered (or when its first event was seen, if CallStarted was lost).</param>
/// <param name="Emotion">The label of the latest EmotionDetected; null before the first.</param>
/// <param name="EmotionConfidence">Its confidence, 0–1.</param>
/// <param name="Frustration">The latest frustration score, 0–1.</param>
/// <param name="FrustrationLevel">Its band (<c>calm</c>, <c>elevated</c>, <c>high</c>); null before the first change.</param>
/// <param name="VocalEvents">Vocal sounds heard so far, per kind.</param>
/// <param name="LastActivity">Timestamp of the latest event applied to the call.</param>
public sealed record ActiveCallView(
    string CallId,
    string Flow,
    string From,
    DateTimeOffset StartedAt,
    string? Emotion,
    double EmotionConfidence,
    double Frustration,
    string? FrustrationLevel,
    IReadOnlyDictionary<string, int> VocalEvents,
    DateTimeOffset LastActivity);
