using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Validation;

/// <summary>
/// YAML to JSON under the YAML 1.2 core schema (plain null/bool/int/float resolve, everything else is a string),
/// written apart from the loader so the schema test does not grade the loader with its own conversion.
/// </summary>
internal static partial class YamlToJson
{
    public static string Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Node(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Node(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Node)]),
        YamlScalarNode { Style: not ScalarStyle.Plain } s => JsonValue.Create(s.Value),
        YamlScalarNode s when s.Value is null or "" or "~" or "null" or "Null" or "NULL" => null,
        YamlScalarNode s when s.Value is "true" or "True" or "TRUE" => JsonValue.Create(true),
        YamlScalarNode s when s.Value is "false" or "False" or "FALSE" => JsonValue.Create(false),
        YamlScalarNode s when IntPattern().IsMatch(s.Value!) => JsonValue.Create(long.Parse(s.Value!, CultureInfo.InvariantCulture)),
        YamlScalarNode s when FloatPattern().IsMatch(s.Value!) => JsonValue.Create(double.Parse(s.Value!, CultureInfo.InvariantCulture)),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
