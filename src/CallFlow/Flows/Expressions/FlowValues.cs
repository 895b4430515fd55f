using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>The conversions every part of the expression language agrees on.</summary>
public static class FlowValues
{
    /// <summary>false, null, 0, "" and empty lists are false.</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        // Numbers may be backed by int, long or decimal (scopes fill counts as ints); GetValue<double> throws on those.
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => !FlowOperators.TryGetNumber(v, out var n) || n != 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        _ => true,
    };

    /// <summary>Text as a caller would hear it: strings as they are, numbers invariant, null as nothing.</summary>
    public static string ToText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => FlowOperators.TryGetNumber(v, out var n)
            ? n.ToString(CultureInfo.InvariantCulture) : v.ToJsonString(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };
}
