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
/// <param name="PeakFrustration">Highest frustration score of the call, 0–1 (added in issue 6; 0 from older gateways).</param>
/// <param name="VocalEvents">Vocal sounds per kind (<c>Sigh</c>, <c>Laugh</c>, …); kinds not heard are absent. Null from older gateways.</param>
/// <param name="TalkRatio">Caller speech time over call time, 0–1.</param>
/// <param name="SilenceRatio">1 − <paramref name="TalkRatio"/>: the share of the call the caller did not speak.</param>
/// <param name="BargeIns">How often the caller spoke over a prompt.</param>
/// <param name="AnalysesSkipped">Segments not analysed because the analysis queue was full.</param>
/// <param name="TurnEndLatencyP50Seconds">Median time from the caller's last voiced audio to the end-of-turn decision (wall clock; 0 without turns).</param>
/// <param name="TurnEndLatencyP95Seconds">95th percentile of the same.</param>
/// <param name="Outcome">How the call flow ended: <c>completed</c>, <c>transferred</c>, <c>abandoned</c> (the caller hung up first) or <c>failed</c>; null from gateways without flows.</param>
/// <param name="LastStep">The flow step that ran last; null when no flow ran.</param>
/// <param name="Flow">The flow that answered the call; null when none.</param>
/// <param name="FlowVersion">The revision of that flow's file the call used (a short hash); null when none.</param>
/// <param name="VadWindowsSkipped">32 ms windows of the caller's audio that voice activity detection gave up as non-speech
/// because inference fell behind (the call was deaf for that long); 0 from older gateways.</param>
public sealed record CallEnded(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double DurationSeconds,
    string HungUpBy,
    string Reason,
    int SpeechSegments,
    double PeakFrustration = 0,
    IReadOnlyDictionary<string, int>? VocalEvents = null,
    double TalkRatio = 0,
    double SilenceRatio = 0,
    int BargeIns = 0,
    int AnalysesSkipped = 0,
    double TurnEndLatencyP50Seconds = 0,
    double TurnEndLatencyP95Seconds = 0,
    string? Outcome = null,
    string? LastStep = null,
    string? Flow = null,
    string? FlowVersion = null,
    long VadWindowsSkipped = 0) : ICallEvent;
