using System.Text.Json;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>
/// Reads fields of a stored event's JSON leniently: any casing (MassTransit writes camelCase, other tools may not),
/// and a missing or mistyped field reads as absent, so an older or newer contract version never breaks a fold.
/// </summary>
internal static class JsonFields
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return value.ValueKind != JsonValueKind.Null;
                }
            }
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double Number(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
        && double.IsFinite(number) ? number : 0;

    public static DateTimeOffset? Instant(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var instant)
            ? instant : null;

    /// <summary>The count for <paramref name="kind"/> in a <c>{"Sigh": 2}</c> map, ignoring the key's casing.</summary>
    public static int CountIn(JsonElement obj, string mapName, string kind)
    {
        if (!TryGet(obj, mapName, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var total = 0;
        foreach (var entry in map.EnumerateObject())
        {
            if (string.Equals(entry.Name, kind, StringComparison.OrdinalIgnoreCase) && entry.Value.TryGetInt32(out var n) && n > 0)
            {
                total += n;
            }
        }

        return total;
    }
}
