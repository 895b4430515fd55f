using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Reads a step's fields so that one pass reports every mistake: each read returns null when the field is absent or
/// invalid and then clears the step's <c>ok</c> (unless an absent field is optional), so the step is dropped only
/// after all of its fields were checked.
/// </summary>
internal static class StepFields
{
    /// <summary>A typed read of one field that reports its own mistakes and returns null on one.</summary>
    public delegate T ReadField<T>(YamlNode node, string field);

    /// <summary>Reads an optional field; a present but invalid field clears <paramref name="ok"/>.</summary>
    public static T? Optional<T>(YamlMappingNode map, string path, string key, ReadField<T?> read, ref bool ok)
        where T : class
    {
        if (FlowYamlReader.Child(map, key) is not { } node)
        {
            return null;
        }

        var value = read(node, FlowYamlReader.Join(path, key));
        ok &= value is not null;
        return value;
    }

    /// <inheritdoc cref="Optional{T}(YamlMappingNode, string, string, ReadField{T}, ref bool)"/>
    public static T? Optional<T>(YamlMappingNode map, string path, string key, ReadField<T?> read, ref bool ok)
        where T : struct
    {
        if (FlowYamlReader.Child(map, key) is not { } node)
        {
            return null;
        }

        var value = read(node, FlowYamlReader.Join(path, key));
        ok &= value is not null;
        return value;
    }

    /// <summary>
    /// Reads a field the step cannot do without; when it is absent, says so at the step's mapping, with
    /// <paramref name="why"/> appended where the name alone does not say what to write.
    /// </summary>
    public static T? Required<T>(FlowYamlReader yaml, YamlMappingNode map, string path, string key, ReadField<T?> read, ref bool ok, string? why = null)
        where T : class
    {
        if (FlowYamlReader.Child(map, key) is null)
        {
            yaml.Error(map, FlowYamlReader.Join(path, key), $"missing required field '{key}'{why}");
            ok = false;
            return null;
        }

        return Optional(map, path, key, read, ref ok);
    }
}
