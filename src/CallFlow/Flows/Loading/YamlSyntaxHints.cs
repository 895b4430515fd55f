namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Turns the YAML parser's wording ("did not find expected key") into what a flow author should change. The parser's
/// own words stay at the end in parentheses, so the message can still be searched for.
/// </summary>
internal static class YamlSyntaxHints
{
    // Matched in order on the parser's message; the first hit wins.
    private static readonly (string Contains, string Hint)[] Hints =
    [
        ("invalid tab as indentation",
            "a tab indents this line; YAML indents with spaces only (use 2 spaces per level)"),
        ("did not find expected key",
            "this line is not indented like the lines above it: keys of one mapping must start in the same column, "
            + "and a value holding ': ' or '#' must be quoted"),
        ("did not find expected '-' indicator",
            "this line is not indented like the list items above it: every '- ' item of a list starts in the same column"),
        ("found invalid mapping",
            "a value holds ': ' (or starts a nested mapping on the same line); put the value in quotes, "
            + "e.g. say: \"Note: we are closed\""),
        ("Mapping values are not allowed",
            "a value holds ': '; put the value in quotes, e.g. say: \"Note: we are closed\""),
        ("did not find expected ',' or ']'",
            "a list in [brackets] is not closed: add the ']' (or quote an item holding ',' or ':')"),
        ("did not find expected ',' or '}'",
            "a mapping in {braces} is not closed: add the '}' (or quote a value holding ',' or ':')"),
        ("quoted scalar, found unexpected end of stream",
            "a quote opened here is never closed; close it, or write a quote inside \"...\" as \\\" and inside '...' as ''"),
        ("cannot start any token",
            "a value cannot start with this character (@, ` or a tab); put the value in quotes"),
        ("could not find expected ':'",
            "a key here has no ':' after it; write key: value, or quote the text"),
        ("anchor",
            "'*' and '&' start YAML aliases and anchors; put a value starting with them in quotes"),
        ("did not find expected node content",
            "a value is missing or starts with a character that needs quotes; put the value in quotes"),
    ];

    /// <summary>What to fix for a parser <paramref name="message"/>; the message itself when no hint fits.</summary>
    public static string Explain(string message)
    {
        foreach (var (contains, hint) in Hints)
        {
            if (message.Contains(contains, StringComparison.OrdinalIgnoreCase))
            {
                return $"{hint} (YAML parser: {message.TrimEnd('.')})";
            }
        }

        return $"not valid YAML: {message}";
    }

    /// <summary>
    /// The first tab in a line's indentation, as a 1-based line and column. The parser reports tabs at 1:1 (or as
    /// an unrelated error further on), so they are found before parsing.
    /// </summary>
    public static (int Line, int Column)? FindIndentationTab(string text)
    {
        var line = 1;
        var column = 1;
        var inIndentation = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                inIndentation = true;
                continue;
            }

            if (inIndentation && c == '\t')
            {
                return (line, column);
            }

            // A '-' list marker is part of the indentation too: "-\tsay: x" has a tab where the item's indentation is.
            inIndentation &= c is ' ' or '-' or '\r';
            column++;
        }

        return null;
    }
}
