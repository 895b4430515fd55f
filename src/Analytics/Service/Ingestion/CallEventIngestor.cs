using System.Text.Json;
using System.Text.Json.Nodes;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Live;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Ingestion;

/// <summary>
/// The one way an event enters the service: written to the store first (which decides whether it is new; in a batch
/// with the events other consumers hand in meanwhile), then, if it was new, shown on the live page. A store failure
/// propagates, so the broker message is not acknowledged.
/// </summary>
internal sealed class CallEventIngestor
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly BatchingEventWriter _writer;
    private readonly ActiveCallMonitor _live;
    private readonly PersonalDataRedactor _redactor;

    public CallEventIngestor(BatchingEventWriter writer, ActiveCallMonitor live, PersonalDataRedactor redactor)
    {
        _writer = writer;
        _live = live;
        _redactor = redactor;
    }

    /// <summary>Stores and shows <paramref name="callEvent"/>.</summary>
    /// <param name="callEvent">The event as deserialised.</param>
    /// <param name="messageId">The broker message id (the publisher sets it to the event id); used when the event has none.</param>
    /// <param name="rawJson">The event's JSON as received, so that fields unknown to this build are kept; null to serialise <paramref name="callEvent"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<AppendResult> IngestAsync(ICallEvent callEvent, Guid? messageId, string? rawJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        // The deserializer leaves a missing field null whatever the contract says; such an event is counted, not thrown.
        if (string.IsNullOrEmpty(callEvent.CallId))
        {
            return AppendResult.Rejected;
        }

        var eventId = callEvent.EventId != Guid.Empty ? callEvent.EventId : messageId ?? Guid.Empty;
        if (eventId == Guid.Empty)
        {
            return AppendResult.Rejected;
        }

        var type = callEvent.GetType().Name;
        var body = Parse(rawJson) ?? JsonSerializer.SerializeToNode(callEvent, callEvent.GetType(), WebJson)!.AsObject();
        var stored = new StoredEvent(eventId, callEvent.CallId, callEvent.Sequence, type, callEvent.Timestamp, _redactor.Redact(type, body));
        var result = await _writer.WriteAsync(stored, cancellationToken);
        if (result == AppendResult.Stored)
        {
            // The live page reads its calls from the store (shared by every instance); tell it to look now.
            _live.Nudge();
        }

        return result;
    }

    private static JsonObject? Parse(string? rawJson)
    {
        if (string.IsNullOrEmpty(rawJson))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(rawJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
