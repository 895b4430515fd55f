using System.Text.Json;
using MassTransit;

namespace StepAudio.Telephony.Analytics.Service.Consuming;

/// <summary>
/// The event's JSON exactly as the publisher wrote it: the <c>message</c> member of MassTransit's JSON envelope, or the
/// whole body for raw JSON. Kept rather than the deserialised record so that fields added by newer contract
/// versions (a turn number, a skipped-windows count) reach the store before this service knows them.
/// </summary>
internal static class EnvelopeBody
{
    public static string? MessageJson(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            using var document = JsonDocument.Parse(context.ReceiveContext.Body.GetBytes());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                ? message.GetRawText()
                : root.GetRawText();
        }
        catch (JsonException)
        {
            // Another serializer (XML, BSON): the deserialised message is stored instead.
            return null;
        }
    }
}
