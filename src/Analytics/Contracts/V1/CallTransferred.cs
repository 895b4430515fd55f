namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>The caller was handed to someone else, and the transfer succeeded.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the transfer was confirmed (UTC).</param>
/// <param name="Target">The SIP URI the caller was transferred to.</param>
/// <param name="Mode"><c>refer</c> (the caller's side was asked to call the target, RFC 3515) or <c>bridge</c> (the gateway called the target and connected the audio).</param>
/// <param name="Step">The flow step that transferred.</param>
/// <param name="Flow">The flow's name.</param>
/// <param name="Frustration">The caller's frustration score (0–1) at the moment of transfer.</param>
/// <param name="RequestedBy">Who asked for the transfer: <c>flow</c> (a transfer step), <c>model</c> (the model of a
/// <c>converse</c> step, through its <c>transfer</c> action) or <c>remote</c> (the far end sent REFER, RFC 3515, and the
/// flow allows it). Events from before issue 18 read <c>flow</c>; producers before issue 20's change sent <c>flow</c> for
/// the model's transfers too. Consumers must accept values they do not know.</param>
public sealed record CallTransferred(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    string Target,
    string Mode,
    string Step,
    string Flow,
    double Frustration,
    string RequestedBy = "flow") : ICallEvent;
