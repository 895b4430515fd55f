using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>
/// Operator semantics of config/flows/README.md: no implicit conversions between strings and numbers
/// (<c>"1" == 1</c> is false), type mismatches yield false or null instead of throwing.
/// </summary>
internal static class FlowOperators
{
    public static bool TryGetNumber(JsonNode? value, out double number)
    {
        number = 0;
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out double d))
        {
            number = d;
            return true;
        }

        if (v.TryGetValue(out long l))
        {
            number = l;
            return true;
        }

        if (v.TryGetValue(out int i))
        {
            number = i;
            return true;
        }

        if (v.TryGetValue(out decimal m))
        {
            number = (double)m;
            return true;
        }

        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static bool TryGetString(JsonNode? value, out string text)
    {
        text = string.Empty;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            text = v.GetValue<string>();
            return true;
        }

        return false;
    }

    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (TryGetNumber(a, out var x) && TryGetNumber(b, out var y))
        {
            return x == y;
        }

        if (TryGetString(a, out var s) && TryGetString(b, out var t))
        {
            return string.Equals(s, t, StringComparison.Ordinal);
        }

        return a.GetValueKind() == b.GetValueKind() && JsonNode.DeepEquals(a, b);
    }

    public static bool Compare(JsonNode? a, JsonNode? b, Func<int, bool> accept) =>
        TryGetNumber(a, out var x) && TryGetNumber(b, out var y) && !double.IsNaN(x) && !double.IsNaN(y) && accept(x.CompareTo(y));

    public static bool IsIn(JsonNode? item, JsonNode? container) => container switch
    {
        JsonArray list => list.Any(element => AreEqual(item, element)),
        JsonObject obj => TryGetString(item, out var key) && obj.ContainsKey(key),
        _ => TryGetString(item, out var part) && TryGetString(container, out var whole)
            && whole.Contains(part, StringComparison.Ordinal),
    };

    public static JsonNode? Add(JsonNode? a, JsonNode? b)
    {
        if (TryGetNumber(a, out var x) && TryGetNumber(b, out var y))
        {
            return JsonValue.Create(x + y);
        }

        // Text joins with anything so prompts can be built ("Order " + vars.n); numbers never parse from text.
        if (TryGetString(a, out _) || TryGetString(b, out _))
        {
            return JsonValue.Create(FlowValues.ToText(a) + FlowValues.ToText(b));
        }

        return null;
    }

    public static JsonNode? Arithmetic(BinaryOperator op, JsonNode? a, JsonNode? b)
    {
        if (!TryGetNumber(a, out var x) || !TryGetNumber(b, out var y))
        {
            return null;
        }

        return op switch
        {
            BinaryOperator.Subtract => JsonValue.Create(x - y),
            BinaryOperator.Multiply => JsonValue.Create(x * y),
            BinaryOperator.Divide when y == 0 => null,
            BinaryOperator.Divide => JsonValue.Create(x / y),
            _ => null,
        };
    }

    /// <summary>A value that can be attached to a new parent (a JsonNode belongs to at most one).</summary>
    public static JsonNode? Detach(JsonNode? value) => value?.Parent is null ? value : value.DeepClone();
}
