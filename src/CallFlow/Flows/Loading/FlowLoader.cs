using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>Reads and validates flow files; never throws for bad input, every mistake is a <see cref="FlowError"/>.</summary>
public static partial class FlowLoader
{
    /// <summary>Reads and validates one flow file.</summary>
    public static FlowLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new FlowLoadResult(null, [new FlowError(path, 1, 1, string.Empty, $"cannot read the file: {ex.Message}")]);
        }

        return LoadText(text, path);
    }

    /// <summary>Validates flow text; <paramref name="fileName"/> names it in errors.</summary>
    public static FlowLoadResult LoadText(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var reader = new FlowYamlReader(fileName);
        if (Parse(yaml, reader) is not { } root)
        {
            return new FlowLoadResult(null, reader.Errors);
        }

        var flow = new FlowDocumentReader(reader).Read(root, Version(yaml));
        return new FlowLoadResult(flow, [.. reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    /// <summary>First 12 hex digits of the SHA-256 of the text: names this revision in logs and events.</summary>
    public static string Version(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }

    /// <summary>The single document of <paramref name="text"/>, or null with the syntax error reported.</summary>
    internal static YamlNode? Parse(string text, FlowYamlReader reader)
    {
        if (YamlSyntaxHints.FindIndentationTab(text) is var (tabLine, tabColumn))
        {
            reader.Error(new Mark(0, tabLine, tabColumn), string.Empty,
                "a tab indents this line; YAML indents with spaces only (use 2 spaces per level)");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // Duplicate keys also land here: the representation model refuses them, with the second key's mark.
            var message = Describe(ex);
            reader.Error(ex.Start, string.Empty, message.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? $"duplicate key '{message["Duplicate key".Length..].Trim()}': a key may appear only once in a mapping"
                : YamlSyntaxHints.Explain(message));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            reader.Error(Mark.Empty, string.Empty, $"not valid YAML: {ex.Message}");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: "" or null })
        {
            reader.Error(Mark.Empty, string.Empty, "the file is empty; expected a mapping with flow, start and steps");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            reader.Error(stream.Documents[1].RootNode.Start, string.Empty, "expected one YAML document per file, got a second one ('---')");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static string Describe(YamlException ex)
    {
        var message = MarkPrefix().Replace(ex.Message, string.Empty);
        var inner = ex.InnerException is { } cause ? MarkPrefix().Replace(cause.Message, string.Empty) : null;
        return inner is null || inner == message ? message : $"{message} ({inner})";
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
