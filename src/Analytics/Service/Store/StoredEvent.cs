namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>One event as the store keeps it: its identity, and its JSON exactly as received (minus personal data).</summary>
/// <param name="EventId">The key: an event id is written once, however often it is delivered.</param>
/// <param name="CallId">The call it belongs to.</param>
/// <param name="Sequence">Its position within the call.</param>
/// <param name="Type">The contract's name, for example <c>CallStarted</c>; unknown names are kept and ignored by the summaries.</param>
/// <param name="Timestamp">When the gateway observed it.</param>
/// <param name="Json">The event's JSON object, fields the service does not know included.</param>
public sealed record StoredEvent(Guid EventId, string CallId, long Sequence, string Type, DateTimeOffset Timestamp, string Json);
