namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>A call was answered by the gateway and its media is flowing.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call (always 1 for this event).</param>
/// <param name="Timestamp">When the call was answered (UTC).</param>
/// <param name="From">Caller's address of record (SIP URI of the From header), without display name. Personal data (docs/events.md, Privacy).</param>
/// <param name="To">Called address of record (SIP URI of the To header).</param>
/// <param name="Codec">Negotiated audio codec, for example <c>PCMU/8000</c>.</param>
/// <param name="Flow">The call flow that answers the call; null when the gateway runs no flows (added in issue 8).</param>
/// <param name="FlowVersion">The revision of that flow's file (a short hash); null when no flow runs.</param>
public sealed record CallStarted(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    string From,
    string To,
    string Codec,
    string? Flow = null,
    string? FlowVersion = null) : ICallEvent;
