using System.Text.Json;

namespace StepAudio.Telephony.Analytics.Service.Queries;

/// <summary>One stored event as <c>/api/calls/{callId}</c> returns it.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Type">The contract's name.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the gateway observed it.</param>
/// <param name="ReceivedAt">When this service stored it.</param>
/// <param name="Data">The event's JSON as received (the caller masked, DTMF digits masked unless configured).</param>
public sealed record EventView(Guid EventId, string Type, long Sequence, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt, JsonElement Data);
