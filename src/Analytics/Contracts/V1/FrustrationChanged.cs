namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>
/// The caller's frustration score crossed a configured threshold (up or down) or moved by at least the configured
/// step. Scores are 0–1 and decay when nothing new happens.
/// </summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the change was observed (UTC).</param>
/// <param name="AtSeconds">When, seconds into the call's audio.</param>
/// <param name="Score">The score now.</param>
/// <param name="PreviousScore">The score last reported (0 for the first event).</param>
/// <param name="Level">The band the score is in now, for example <c>calm</c>, <c>elevated</c>, <c>high</c>.</param>
/// <param name="ThresholdCrossed">The threshold crossed, or <see langword="null"/> when the score only moved.</param>
/// <param name="TopReasons">The cues that contribute most now, largest first.</param>
public sealed record FrustrationChanged(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double AtSeconds,
    double Score,
    double PreviousScore,
    string Level,
    double? ThresholdCrossed,
    IReadOnlyList<FrustrationReason> TopReasons) : ICallEvent;
