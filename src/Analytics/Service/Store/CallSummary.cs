namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>One call as the call list shows it, folded from all of its stored events.</summary>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Flow">The flow that answered it, or <c>(none)</c>.</param>
/// <param name="Caller">The caller, masked to the last four characters of the SIP user part.</param>
/// <param name="StartedAt">CallStarted's time; without one, CallEnded's time less the duration, else the earliest event's.</param>
/// <param name="StartSeen">Whether CallStarted was received.</param>
/// <param name="EndedAt">CallEnded's time; null while the call runs (or when its end was never seen).</param>
/// <param name="DurationSeconds">From CallEnded; 0 before.</param>
/// <param name="Outcome"><c>completed</c>, <c>transferred</c>, <c>abandoned</c>, <c>failed</c>, <c>unknown</c> (ended without one) or <c>in-progress</c>.</param>
/// <param name="HungUpBy">From CallEnded.</param>
/// <param name="PeakFrustration">The highest of CallEnded's peak and every FrustrationChanged score, 0–1.</param>
/// <param name="Sighs">Sighs: the larger of the VocalEventDetected events received and CallEnded's count.</param>
/// <param name="Laughs">Laughs, counted the same way.</param>
/// <param name="Crying">Crying, counted the same way.</param>
/// <param name="Turns">EmotionDetected events: one per analysed caller turn.</param>
/// <param name="Emotions">Turns per emotion label.</param>
/// <param name="DominantEmotion">The label of most turns (ties: the more negative one); null without turns.</param>
/// <param name="Transfers">CallTransferred events.</param>
/// <param name="Keys">DTMF key presses.</param>
/// <param name="Events">Events stored for the call, of every type.</param>
/// <param name="LastEventAt">The latest event time.</param>
public sealed record CallSummary(
    string CallId,
    string Flow,
    string Caller,
    DateTimeOffset StartedAt,
    bool StartSeen,
    DateTimeOffset? EndedAt,
    double DurationSeconds,
    string Outcome,
    string? HungUpBy,
    double PeakFrustration,
    int Sighs,
    int Laughs,
    int Crying,
    int Turns,
    IReadOnlyDictionary<string, int> Emotions,
    string? DominantEmotion,
    int Transfers,
    int Keys,
    int Events,
    DateTimeOffset LastEventAt);
