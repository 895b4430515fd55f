using System.Globalization;
using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Typed reads of YAML nodes that never throw: each mistake becomes a <see cref="FlowError"/> at the node's mark and
/// the read returns null, so one pass reports every mistake in the file. Conditions, templates and values are read by
/// a <see cref="FlowExpressionReader"/> that reports into the same <see cref="FlowErrorCollector"/>.
/// </summary>
internal sealed class FlowYamlReader
{
    private readonly FlowErrorCollector _errors;
    private readonly FlowExpressionReader _expressions;

    public FlowYamlReader(string file)
    {
        _errors = new FlowErrorCollector(file);
        _expressions = new FlowExpressionReader(_errors);
    }

    public string File => _errors.File;

    public IReadOnlyList<FlowError> Errors => _errors.Errors;

    public void Error(YamlNode node, string field, string message) => _errors.Add(node, field, message);

    public void Error(Mark mark, string field, string message) => _errors.Add(mark, field, message);

    public SourceLocation Location(YamlNode node) => _errors.Location(node);

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public YamlMappingNode? Mapping(YamlNode node, string field, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, field, $"expected {what}, got {YamlCoreSchema.Describe(node)}");
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
        if (node is YamlScalarNode scalar && YamlCoreSchema.ScalarJson(scalar) is JsonValue v && FlowOperators.TryGetString(v, out var text))
        {
            return text;
        }

        Error(node, field, $"expected {what}, got {YamlCoreSchema.Describe(node)}");
        return null;
    }

    public string? Name(YamlNode node, string field, string what)
    {
        var text = Text(node, field, what);
        if (text is not null && !FlowNamePatterns.Name().IsMatch(text))
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

        Error(node, field, $"expected a whole number from {min} to {max}, got {YamlCoreSchema.Describe(node)}");
        return null;
    }

    public double? Number(YamlNode node, string field, double min, double max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && YamlCoreSchema.ScalarJson(scalar) is { } json
            && FlowOperators.TryGetNumber(json, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(node, field, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        Error(node, field, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {YamlCoreSchema.Describe(node)}");
        return null;
    }

    /// <summary>
    /// One word of a fixed set (<c>refer</c> or <c>bridge</c>), as the value it stands for; null, with the error
    /// reported, for anything else. <paramref name="expected"/> words the error when the bare list says too little.
    /// </summary>
    public T? Choice<T>(YamlNode node, string field, IReadOnlyList<(string Word, T Value)> choices, string? expected = null)
        where T : struct
    {
        var words = choices.Count == 1
            ? choices[0].Word
            : $"{string.Join(", ", choices.Take(choices.Count - 1).Select(c => c.Word))} or {choices[^1].Word}";
        if (Text(node, field, words) is not { } written)
        {
            return null;
        }

        foreach (var (word, value) in choices)
        {
            if (word == written)
            {
                return value;
            }
        }

        Error(node, field, $"expected {expected ?? words}, got '{written}'");
        return null;
    }

    public bool? Boolean(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && YamlCoreSchema.ScalarJson(scalar) is JsonValue v
            && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
        {
            return v.GetValueKind() == System.Text.Json.JsonValueKind.True;
        }

        Error(node, field, $"expected true or false, got {YamlCoreSchema.Describe(node)}");
        return null;
    }

    /// <summary><c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, or a plain number of seconds; at most a day.</summary>
    public TimeSpan? Duration(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Value: { } text } scalar && FlowDuration.TryParse(text, scalar.Style == ScalarStyle.Plain, out var value))
        {
            return value;
        }

        Error(node, field, $"expected a duration such as 500ms, 5s, 2m or 1m30s, got {YamlCoreSchema.Describe(node)}");
        return null;
    }

    /// <summary>A DTMF key (0-9, *, #, A-D) or nothing (<c>null</c>, <c>""</c>, <c>none</c>).</summary>
    public bool TryKey(YamlNode node, string field, out char? key)
    {
        key = null;
        if (node is YamlScalarNode { Value: var text } scalar)
        {
            if (YamlCoreSchema.ScalarJson(scalar) is null || text is "" or "none")
            {
                return true;
            }

            if (text is { Length: 1 } && "0123456789*#ABCD".Contains(text[0], StringComparison.Ordinal))
            {
                key = text[0];
                return true;
            }
        }

        Error(node, field, $"expected one key of 0-9, *, #, A-D (or none), got {YamlCoreSchema.Describe(node)}");
        return false;
    }

    /// <summary>A condition (<c>if:</c>, <c>when:</c>): the whole scalar is one expression.</summary>
    public FlowExpression? Expression(YamlNode node, string field) => _expressions.Expression(node, field);

    /// <summary>Text that may hold <c>{{ expressions }}</c>.</summary>
    public FlowTemplate? Template(YamlNode node, string field, string what = "text")
    {
        var text = Text(node, field, what);
        return text is null ? null : _expressions.Template((YamlScalarNode)node, text, field);
    }

    /// <summary>A value for <c>set</c> or <c>body</c>: text with <c>{{</c> becomes a template, anything else a literal.</summary>
    public FlowValueSource? Value(YamlNode node, string field) => _expressions.Value(node, field);
}
