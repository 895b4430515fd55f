using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// What a YAML node means under YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), as JSON:
/// the values flows compute with, and the words error messages use to say what was found.
/// </summary>
internal static partial class YamlCoreSchema
{
    /// <summary>The JSON value the core schema gives a scalar: plain null/bool/number resolve, everything else is text.</summary>
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

    /// <summary>What was found, for "expected X, got Y" messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => ScalarJson(scalar) switch
        {
            null => "nothing",
            JsonValue v when FlowOperators.TryGetString(v, out var s) => $"'{Shorten(s)}'",
            var v => $"{(v.GetValueKind() == JsonValueKind.Number ? "number" : "boolean")} {v.ToJsonString()}",
        },
        _ => "an alias",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
