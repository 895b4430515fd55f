namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>The caller spoke: one contiguous stretch of speech found by the voice activity detector.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the segment was closed (UTC).</param>
/// <param name="StartSeconds">
/// Start of speech, in seconds on the caller's audio clock: seconds of caller audio received, counted from the
/// first RTP packet of the call. VAD padding (30 ms by default) is included.
/// </param>
/// <param name="EndSeconds">End of speech, on the same clock as <paramref name="StartSeconds"/>.</param>
/// <param name="DurationSeconds"><paramref name="EndSeconds"/> minus <paramref name="StartSeconds"/>.</param>
/// <param name="Turn">The caller's turn this segment is (1 for the first segment of the call, and so on); <see langword="null"/> from older gateways.</param>
public sealed record SpeechSegmentDetected(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double StartSeconds,
    double EndSeconds,
    double DurationSeconds,
    int? Turn = null) : ICallEvent;
