using System.Text;

namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// Cuts a streamed reply into sentences so the first can be spoken while the rest is still arriving. A sentence ends
/// at <c>.</c>, <c>!</c>, <c>?</c> (or <c>…</c>, <c>;</c> and CJK full stops) followed by white space; a full stop
/// does not end one after a title or common abbreviation (<c>Dr.</c>, <c>e.g.</c>), a single initial, or inside a
/// number (<c>3.5</c>, <c>No. 7</c>). A very long run without an end is cut at a comma so speech can start.
/// </summary>
public sealed class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "no", "nr", "approx",
        "dept", "inc", "ltd", "co", "corp", "ave", "rd", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m", "u.s",
    };

    private readonly StringBuilder _buffer = new();
    private readonly int _longRun;

    /// <summary>Creates a splitter; runs longer than <paramref name="longRun"/> characters are cut at a comma.</summary>
    public SentenceSplitter(int longRun = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longRun, 20);
        _longRun = longRun;
    }

    /// <summary>Feeds streamed text; returns the sentences it completed, in order (trimmed, never empty).</summary>
    public IReadOnlyList<string> Push(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _buffer.Append(text);
        var sentences = new List<string>();
        var start = 0;
        var s = _buffer.ToString();

        // The last character is never decided on: what follows it has not arrived.
        for (var i = 0; i < s.Length - 1; i++)
        {
            if (IsEnd(s, start, i))
            {
                Add(sentences, s[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (s.Length - start > _longRun)
        {
            var comma = s.LastIndexOf(", ", s.Length - 1, s.Length - start, StringComparison.Ordinal);
            if (comma > start)
            {
                Add(sentences, s[start..(comma + 1)]);
                start = comma + 1;
            }
        }

        _buffer.Remove(0, start);
        return sentences;
    }

    /// <summary>Ends the reply: the unfinished last sentence, or null when nothing is left.</summary>
    public string? Flush()
    {
        var rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length == 0 ? null : rest;
    }

    private static void Add(List<string> sentences, string sentence)
    {
        var trimmed = sentence.Trim();
        if (trimmed.Length > 0)
        {
            sentences.Add(trimmed);
        }
    }

    private static bool IsEnd(string s, int start, int i)
    {
        var c = s[i];
        if (c is '。' or '！' or '？')
        {
            return true;
        }

        if (!char.IsWhiteSpace(s[i + 1]))
        {
            // "3.5", "e.g.," or "?!" — the end, if any, comes later.
            return false;
        }

        if (c is '!' or '?' or '…' or ';')
        {
            return true;
        }

        if (c is '"' or '\'' or ')' or '”' or '’' && i > start && s[i - 1] is '.' or '!' or '?')
        {
            return true;
        }

        // A full stop is decided once the next word has begun: "5 dollars. then" goes on, "dollars. Then" ends.
        return c == '.' && NextWordStarted(s, i) && !IsAbbreviationOrNumber(s, start, i);
    }

    private static bool NextWordStarted(string s, int dot)
    {
        for (var next = dot + 1; next < s.Length; next++)
        {
            if (!char.IsWhiteSpace(s[next]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAbbreviationOrNumber(string s, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(s[wordStart - 1]) && s[wordStart - 1] is not '(' and not '"')
        {
            wordStart--;
        }

        var word = s[wordStart..dot];
        if (word.Length == 0 || word.EndsWith('.'))
        {
            // ". ." or "..." handled as an ending ellipsis.
            return false;
        }

        if (Abbreviations.Contains(word))
        {
            return true;
        }

        // A single initial ("J. Smith"): a lone capital letter.
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true;
        }

        // A lower-case continuation ("at 5 p. then", "approx. three") is a sentence that goes on.
        var next = dot + 1;
        while (next < s.Length && char.IsWhiteSpace(s[next]))
        {
            next++;
        }

        return next < s.Length && char.IsLower(s[next]);
    }
}
