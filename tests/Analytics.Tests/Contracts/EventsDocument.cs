using System.Text.RegularExpressions;

namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>One row of a field table in docs/events.md.</summary>
internal sealed record DocumentedField(string Name, string Type, string Unit, string Nullable, string Since, string Meaning);

/// <summary>
/// docs/events.md read as sections: an event's section opens with <c>### `Name`</c>, a nested record's table with
/// a line <c>`Name` (element of …)</c>. Each section holds its text and the rows of its field table.
/// </summary>
internal sealed partial class EventsDocument
{
    private readonly Dictionary<string, (string Text, List<DocumentedField> Fields)> _sections = [];

    private EventsDocument(string[] lines)
    {
        string? current = null;
        foreach (var line in lines)
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                current = heading.Groups["name"].Value;
                _sections[current] = (string.Empty, []);
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = null;
            }

            if (current is null)
            {
                continue;
            }

            var (text, fields) = _sections[current];
            _sections[current] = (text + line + "\n", fields);
            var row = Row().Match(line);
            if (row.Success)
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                // "| `name` | type | unit | null | since | meaning |" splits into 8 cells, first and last empty.
                fields.Add(new DocumentedField(row.Groups["name"].Value, cells[2], cells[3], cells[4], cells[5], cells[6]));
            }
        }
    }

    public static EventsDocument Load() => new(File.ReadAllLines(RepositoryFiles.Path("docs", "events.md")));

    public bool HasSection(string name) => _sections.ContainsKey(name);

    public string Text(string name) => _sections[name].Text;

    public IReadOnlyList<DocumentedField> Fields(string name) => _sections[name].Fields;

    [GeneratedRegex(@"^(### `(?<name>\w+)`\s*$|`(?<name>\w+)` \(element of )")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `(?<name>\w+)` \|")]
    private static partial Regex Row();
}
