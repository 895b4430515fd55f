using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.CallFlow.Speech.Ssml;

/// <summary>
/// Spells out <c>&lt;say-as&gt;</c> contents the way a caller expects to hear them. espeak-ng reads "12345" as
/// "twelve thousand…"; digits and telephone numbers become single digits (telephone groups with a short pause
/// between), dates become "December 6th, 2026" (English month names: espeak-ng reads them in any voice).
/// </summary>
internal static class SsmlSayAs
{
    /// <summary>Orders of day, month and year <c>format</c> may give (default ymd, as in ISO 8601's 2026-12-06).</summary>
    public static readonly IReadOnlyList<string> DateFormats = ["ymd", "mdy", "dmy", "md", "dm"];

    public static string Spell(string interpretAs, string text, string? format) => interpretAs switch
    {
        "digits" => Digits(text),
        "telephone" => Telephone(text),
        "date" => Date(text, format ?? "ymd") ?? text,
        _ => text,
    };

    private static string Digits(string text) => string.Join(' ', text.Where(c => !char.IsWhiteSpace(c)));

    // "+1 (555) 010-0123" -> "plus 1, 5 5 5, 0 1 0, 0 1 2 3": the groups as written, a comma (a short pause) between.
    private static string Telephone(string text)
    {
        var groups = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) || c is '*' or '#')
            {
                current.Append(current.Length > 0 ? " " : string.Empty).Append(c switch { '*' => "star", '#' => "pound", _ => c.ToString() });
                continue;
            }

            Flush();
            if (c == '+' && groups.Count == 0)
            {
                groups.Add("plus");
            }
        }

        Flush();
        return groups.Count > 0 && groups[0] == "plus" && groups.Count > 1
            ? "plus " + string.Join(", ", groups.Skip(1))
            : string.Join(", ", groups);

        void Flush()
        {
            if (current.Length > 0)
            {
                groups.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static string? Date(string text, string format)
    {
        var parts = text.Split(['-', '/', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != format.Length || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        int? year = null, month = null, day = null;
        for (int i = 0; i < format.Length; i++)
        {
            var value = int.Parse(parts[i], CultureInfo.InvariantCulture);
            switch (format[i])
            {
                case 'y':
                    year = value;
                    break;
                case 'm':
                    month = value;
                    break;
                default:
                    day = value;
                    break;
            }
        }

        if (month is not (>= 1 and <= 12) || day is not (>= 1 and <= 31))
        {
            return null;
        }

        var spoken = $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month.Value)} {day}{Suffix(day.Value)}";
        return year is null ? spoken : $"{spoken}, {year}";
    }

    private static string Suffix(int day) => (day % 100, day % 10) switch
    {
        (11 or 12 or 13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
}
