namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>The call is over; no further event for this call follows.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call (always the last).</param>
/// <param name="Timestamp">When the call ended (UTC).</param>
/// <param name="DurationSeconds">Time from answer to hang-up.</param>
/// <param name="HungUpBy">Who ended the call: <c>caller</c> or <c>gateway</c>.</param>
/// <param name="Reason">Why, for example <c>bye</c>, <c>media-timeout</c>, <c>max-duration</c>, <c>shutdown</c>.</param>
/// <param name="SpeechSegments">How many speech segments the caller produced.</param>
public sealed record CallEnded(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double DurationSeconds,
    string HungUpBy,
    string Reason,
    int SpeechSegments) : ICallEvent;
