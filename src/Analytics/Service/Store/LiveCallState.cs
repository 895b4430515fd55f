namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// What the live page shows of a call in progress beyond its summary: the latest emotion and frustration (latest by
/// the events' own time, so arrival order does not matter) and the vocal sounds heard so far, per kind.
/// </summary>
internal sealed record LiveCallState(
    string? Emotion,
    double EmotionConfidence,
    double Frustration,
    string? FrustrationLevel,
    IReadOnlyDictionary<string, int> VocalEvents);
