using System.Globalization;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>The functions of the expression language, with the argument counts validation enforces.</summary>
internal static class FlowFunctions
{
    public static IReadOnlyDictionary<string, (int Min, int Max)> Arity { get; } = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["open"] = (1, 2),
        ["len"] = (1, 1),
        ["contains"] = (2, 2),
        ["number"] = (1, 1),
        ["text"] = (1, 1),
    };

    public static JsonNode? Invoke(string name, JsonNode?[] args, IFlowScope scope) => name switch
    {
        "open" => Open(args, scope),
        "len" => args[0] switch
        {
            JsonArray list => JsonValue.Create((double)list.Count),
            JsonObject obj => JsonValue.Create((double)obj.Count),
            null => JsonValue.Create(0d),
            var v => JsonValue.Create((double)FlowValues.ToText(v).Length),
        },
        "contains" => JsonValue.Create(FlowOperators.IsIn(args[1], args[0])),
        "number" => ToNumber(args[0]),
        "text" => JsonValue.Create(FlowValues.ToText(args[0])),
        _ => null,
    };

    private static JsonValue? ToNumber(JsonNode? value)
    {
        if (FlowOperators.TryGetNumber(value, out var n))
        {
            return JsonValue.Create(n);
        }

        if (FlowOperators.TryGetString(value, out var s)
            && double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out n) && double.IsFinite(n))
        {
            return JsonValue.Create(n);
        }

        return value is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
            ? JsonValue.Create(FlowValues.IsTruthy(b) ? 1d : 0d)
            : null;
    }

    private static JsonValue Open(JsonNode?[] args, IFlowScope scope)
    {
        if (!FlowOperators.TryGetString(args[0], out var text) || !FlowSchedule.TryParse(text, out var schedule, out _))
        {
            return JsonValue.Create(false);
        }

        var zone = scope.TimeZone;
        if (args.Length > 1 && (!FlowOperators.TryGetString(args[1], out var zoneId) || !TryFindZone(zoneId, out zone)))
        {
            return JsonValue.Create(false);
        }

        return JsonValue.Create(schedule!.IsOpen(TimeZoneInfo.ConvertTime(scope.Now, zone).DateTime));
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
