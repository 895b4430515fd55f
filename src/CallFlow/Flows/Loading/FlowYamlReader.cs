using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Typed reads of YAML nodes that never throw: each mistake becomes a <see cref="FlowError"/> at the node's mark and
/// the read returns null, so one pass reports every mistake in the file.
/// </summary>
internal sealed partial class FlowYamlReader(string file)
{
    private readonly List<FlowError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<FlowError> Errors => _errors;

    public void Error(YamlNode node, string field, string message) => Error(node.Start, field, message);

    public void Error(Mark mark, string field, string message) =>
        _errors.Add(new FlowError(File, Math.Max(1, (int)Math.Min(mark.Line, int.MaxValue)), Math.Max(1, (int)Math.Min(mark.Column, int.MaxValue)), field, message));

    public SourceLocation Location(YamlNode node) => new(File, (int)Math.Max(1, node.Start.Line), (int)Math.Max(1, node.Start.Column));

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public YamlMappingNode? Mapping(YamlNode node, string field, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, field, $"expected {what}, got {Describe(node)}");
        return null;
    }

    /// <summary>Reports keys that are not in <paramref name="allowed"/>, with a hint for near misses.</summary>
    public void CheckKeys(YamlMappingNode mapping, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = key is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty;
            if (!allowed.Contains(name))
            {
                Error(key, Join(path, name), $"unknown field '{name}'{NameSuggestions.Hint(name, allowed)}; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>A text value; plain scalars YAML reads as null, booleans or numbers are rejected like the schema does.</summary>
    public string? Text(YamlNode node, string field, string what = "text")
    {
        if (node is YamlScalarNode scalar && ScalarJson(scalar) is JsonValue v && FlowOperators.TryGetString(v, out var text))
        {
            return text;
        }

        Error(node, field, $"expected {what}, got {Describe(node)}");
        return null;
    }

    public string? Name(YamlNode node, string field, string what)
    {
        var text = Text(node, field, what);
        if (text is not null && !NamePattern().IsMatch(text))
        {
            Error(node, field, $"expected {what} made of letters, digits, '_' and '-', got '{text}'");
            return null;
        }

        return text;
    }

    public int? Integer(YamlNode node, string field, int min, int max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(node, field, $"expected a whole number from {min} to {max}, got {value}");
            return null;
        }

        Error(node, field, $"expected a whole number from {min} to {max}, got {Describe(node)}");
        return null;
    }

    public double? Number(YamlNode node, string field, double min, double max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && ScalarJson(scalar) is { } json
            && FlowOperators.TryGetNumber(json, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(node, field, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        Error(node, field, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {Describe(node)}");
        return null;
    }

    public bool? Boolean(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && ScalarJson(scalar) is JsonValue v
            && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
        {
            return v.GetValueKind() == System.Text.Json.JsonValueKind.True;
        }

        Error(node, field, $"expected true or false, got {Describe(node)}");
        return null;
    }

    /// <summary><c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, or a plain number of seconds; at most a day.</summary>
    public TimeSpan? Duration(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Value: { } text } scalar && TryParseDuration(text, scalar.Style == ScalarStyle.Plain, out var value))
        {
            return value;
        }

        Error(node, field, $"expected a duration such as 500ms, 5s, 2m or 1m30s, got {Describe(node)}");
        return null;
    }

    internal static bool TryParseDuration(string text, bool allowBareNumber, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (allowBareNumber && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds <= TimeSpan.FromDays(1).TotalSeconds;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var amount = double.Parse(part.Value[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            value += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(Math.Min(amount, 1e6)),
                _ => TimeSpan.FromHours(Math.Min(amount, 1e6)),
            };
        }

        return value <= TimeSpan.FromDays(1);
    }

    /// <summary>A DTMF key (0-9, *, #, A-D) or nothing (<c>null</c>, <c>""</c>, <c>none</c>).</summary>
    public bool TryKey(YamlNode node, string field, out char? key)
    {
        key = null;
        if (node is YamlScalarNode { Value: var text } scalar)
        {
            if (ScalarJson(scalar) is null || text is "" or "none")
            {
                return true;
            }

            if (text is { Length: 1 } && "0123456789*#ABCD".Contains(text[0], StringComparison.Ordinal))
            {
                key = text[0];
                return true;
            }
        }

        Error(node, field, $"expected one key of 0-9, *, #, A-D (or none), got {Describe(node)}");
        return false;
    }

    /// <summary>The JSON value YAML's core schema gives a scalar: plain null/bool/number resolve, everything else is text.</summary>
    public static JsonNode? ScalarJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when NumberPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && double.IsFinite(number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>A literal JSON value for <c>variables</c>, <c>set</c> and <c>body</c>.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => ScalarJson(scalar),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlMappingNode mapping => new JsonObject(mapping.Children
            .Select(pair => KeyValuePair.Create(pair.Key is YamlScalarNode k ? k.Value ?? string.Empty : string.Empty, ToJson(pair.Value)))
            .DistinctBy(pair => pair.Key)),
        _ => null,
    };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => ScalarJson(scalar) switch
        {
            null => "nothing",
            JsonValue v when FlowOperators.TryGetString(v, out var s) => $"'{Shorten(s)}'",
            var v => $"{(v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? "number" : "boolean")} {v.ToJsonString()}",
        },
        _ => "an alias",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    internal static partial Regex NamePattern();

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
