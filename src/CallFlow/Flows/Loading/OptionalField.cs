using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Reads a step's optional fields so that one pass reports every mistake: each read returns null when the field is
/// absent, and a present but invalid field also clears the step's <c>ok</c>, so the step is dropped after all of its
/// fields were checked.
/// </summary>
internal static class OptionalField
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
}
