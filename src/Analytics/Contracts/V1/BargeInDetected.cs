namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>
/// The caller started to speak while the gateway was playing a prompt. Its own event rather than a field of
/// <see cref="SpeechSegmentDetected"/>: it is known when speech starts, a segment only when it ends (and short
/// interruptions never become segments).
/// </summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the gateway noticed (UTC).</param>
/// <param name="AtSeconds">Start of the caller's speech on the caller's audio clock.</param>
/// <param name="Turn">The caller's turn the interruption starts (the number its segment will carry); <see langword="null"/> from older gateways.</param>
public sealed record BargeInDetected(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double AtSeconds,
    int? Turn = null) : ICallEvent;
