using System.Buffers;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Encodes events into outbox records in buffers kept per thread: the call path's writers then allocate nothing
/// per event, and encoding (the slow part of an append) runs before the queue's lock, on the writer's own buffer.
/// </summary>
internal static class OutboxRecordEncoder
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_recordBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_jsonWriter;

    /// <summary>
    /// Encodes <paramref name="callEvent"/> into this thread's buffer, which holds the record until this thread's
    /// next call; null, with the reason, when the event can never be stored.
    /// </summary>
    public static ArrayBufferWriter<byte>? TryEncode(CallEventCodec codec, ICallEvent callEvent, out string reason)
    {
        var buffer = t_recordBuffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_jsonWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            if (!codec.TryEncode(callEvent, buffer, json))
            {
                reason = "not a known event contract";
                return null;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or JsonException)
        {
            // For example NaN in a double, which JSON cannot carry: the event could never be published either.
            reason = ex.Message;
            return null;
        }

        reason = string.Empty;
        return buffer;
    }
}
