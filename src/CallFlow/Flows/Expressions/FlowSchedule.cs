namespace StepAudio.Telephony.CallFlow.Flows.Expressions;

/// <summary>
/// Opening hours such as <c>mon-fri 09:00-17:00, sat 10:00-14:00</c>, <c>daily 08:00-20:00</c> or an overnight
/// <c>fri 22:00-06:00</c> (a range that ends before it starts runs past midnight and belongs to the day it starts on).
/// An entry without days applies every day.
/// </summary>
public sealed class FlowSchedule
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private readonly List<(bool[] Days, int From, int To)> _ranges;

    private FlowSchedule(List<(bool[] Days, int From, int To)> ranges) => _ranges = ranges;

    /// <summary>Parses a schedule; <paramref name="error"/> says what was expected when it returns false.</summary>
    public static bool TryParse(string text, out FlowSchedule? schedule, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        schedule = null;
        var ranges = new List<(bool[] Days, int From, int To)>();
        foreach (var rawEntry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var words = rawEntry.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length is 0 or > 2)
            {
                error = $"expected entries like 'mon-fri 09:00-17:00' separated by commas, got '{rawEntry}'";
                return false;
            }

            var days = new bool[7];
            if (words.Length == 1 || words[0] == "daily")
            {
                Array.Fill(days, true);
            }
            else if (!TryParseDays(words[0], days))
            {
                error = $"expected days such as 'mon', 'mon-fri' or 'daily', got '{words[0]}'";
                return false;
            }

            if (!TryParseRange(words[^1], out var from, out var to))
            {
                error = $"expected a time range such as '09:00-17:00', got '{words[^1]}'";
                return false;
            }

            ranges.Add((days, from, to));
        }

        schedule = new FlowSchedule(ranges);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="localTime"/> (already in the schedule's zone) lies inside the hours.</summary>
    public bool IsOpen(DateTime localTime)
    {
        var minute = (localTime.Hour * 60) + localTime.Minute;
        var today = (int)localTime.DayOfWeek;
        var yesterday = (today + 6) % 7;
        foreach (var (days, from, to) in _ranges)
        {
            if (from < to ? days[today] && minute >= from && minute < to
                : (days[today] && minute >= from) || (days[yesterday] && minute < to))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseDays(string text, bool[] days)
    {
        var parts = text.Split('-');
        if (parts.Length > 2)
        {
            return false;
        }

        var first = DayIndex(parts[0]);
        var last = DayIndex(parts[^1]);
        if (first < 0 || last < 0)
        {
            return false;
        }

        for (var d = first; ; d = (d + 1) % 7)
        {
            days[d] = true;
            if (d == last)
            {
                return true;
            }
        }
    }

    private static int DayIndex(string name) => Array.FindIndex(DayNames, d => d.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static bool TryParseRange(string text, out int from, out int to)
    {
        from = 0;
        to = 0;
        var parts = text.Split('-');
        return parts.Length == 2 && TryParseTime(parts[0], out from) && TryParseTime(parts[1], out to) && from != to;
    }

    private static bool TryParseTime(string text, out int minutes)
    {
        minutes = 0;
        var parts = text.Split(':');
        if (parts.Length != 2 || parts[0].Length is 0 or > 2 || parts[1].Length != 2
            || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m)
            || h > 24 || m > 59 || (h == 24 && m != 0))
        {
            return false;
        }

        minutes = (h * 60) + m;
        return true;
    }
}
