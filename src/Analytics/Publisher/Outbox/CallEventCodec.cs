using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Topology;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Turns a call event into a framed outbox record and back. The type is stored by its contract name
/// ("CallEnded"), not the CLR name, so moving a contract between namespaces keeps old outboxes readable.
/// </summary>
internal sealed class CallEventCodec
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.General);

    private readonly FrozenDictionary<string, Type> _typesByName;
    private readonly FrozenDictionary<Type, byte[]> _namesByType;

    public CallEventCodec(IEnumerable<Type> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        var types = eventTypes.ToList();
        _typesByName = types.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        _namesByType = types.ToFrozenDictionary(t => t, t => Encoding.UTF8.GetBytes(t.Name));
    }

    /// <summary>Every event type the broker topology knows.</summary>
    public static CallEventCodec Default { get; } = new(EventTopology.EventTypes);

    /// <summary>
    /// Writes the whole record (header included) into <paramref name="buffer"/>, which is cleared first;
    /// false when the event's type is not a known contract.
    /// </summary>
    public bool TryEncode(ICallEvent callEvent, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(json);
        var type = callEvent.GetType();
        if (!_namesByType.TryGetValue(type, out var name))
        {
            return false;
        }

        buffer.Clear();
        buffer.Advance(OutboxRecord.HeaderLength);
        var prefix = buffer.GetSpan(1 + name.Length);
        prefix[0] = (byte)name.Length;
        name.CopyTo(prefix[1..]);
        buffer.Advance(1 + name.Length);

        json.Reset(buffer);
        JsonSerializer.Serialize(json, callEvent, type, JsonOptions);
        json.Flush();

        // The buffer is ours; writing the header in place keeps the record in one contiguous write.
        OutboxRecord.WriteHeader(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span);
        return true;
    }

    /// <summary>Reads a payload (type name and JSON); the error says why it could not be read.</summary>
    public bool TryDecode(ReadOnlySpan<byte> payload, out ICallEvent? callEvent, out string? error)
    {
        callEvent = null;
        var nameLength = payload[0];
        if (payload.Length < 1 + nameLength)
        {
            error = "type name runs past the record";
            return false;
        }

        var name = Encoding.UTF8.GetString(payload.Slice(1, nameLength));
        if (!_typesByName.TryGetValue(name, out var type))
        {
            error = $"unknown event type '{name}'";
            return false;
        }

        try
        {
            callEvent = JsonSerializer.Deserialize(payload[(1 + nameLength)..], type, JsonOptions) as ICallEvent;
        }
        catch (JsonException ex)
        {
            error = $"{name}: {ex.Message}";
            return false;
        }

        error = callEvent is null ? $"{name}: empty JSON" : null;
        return callEvent is not null;
    }
}
