namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>The mutable state of one call in progress. Not thread-safe: the aggregator locks.</summary>
internal sealed class ActiveCall(string callId, string? flow, string from, DateTimeOffset startedAt)
{
    private readonly Dictionary<string, int> _vocalEvents = new(StringComparer.Ordinal);

    public string CallId { get; } = callId;

    public string? Flow { get; set; } = flow;

    public string From { get; set; } = from;

    public DateTimeOffset StartedAt { get; set; } = startedAt;

    /// <summary>Whether CallStarted was applied; without it the start time is only the first event's.</summary>
    public bool StartSeen { get; set; }

    public string? Emotion { get; set; }

    public double EmotionConfidence { get; set; }

    public double Frustration { get; set; }

    public double PeakFrustration { get; set; }

    public string? FrustrationLevel { get; set; }

    public DateTimeOffset LastActivity { get; set; } = startedAt;

    public void VocalEvent(string kind) =>
        _vocalEvents[kind] = _vocalEvents.GetValueOrDefault(kind) + 1;

    public ActiveCallView ToView() => new(
        CallId,
        string.IsNullOrEmpty(Flow) ? Store.Vocabulary.NoFlow : Flow,
        From,
        StartedAt,
        Emotion,
        EmotionConfidence,
        Frustration,
        FrustrationLevel,
        new Dictionary<string, int>(_vocalEvents, StringComparer.Ordinal),
        LastActivity);
}
