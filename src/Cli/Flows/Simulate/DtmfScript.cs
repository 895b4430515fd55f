using System.Globalization;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Parses the caller's keys for <c>simulate --dtmf</c>: space- or comma-separated <c>DIGIT@TIME</c> items such as
/// <c>"1@3.5s, #@12s"</c>, times since answer in <c>ms</c>, <c>s</c> or <c>m</c> (plain numbers are seconds).
/// </summary>
public static class DtmfScript
{
    private const string Keys = "0123456789*#ABCD";

    /// <summary>Parses <paramref name="script"/> into key presses ordered by time.</summary>
    /// <exception cref="FormatException">An item is not <c>DIGIT@TIME</c>; the message names it.</exception>
    public static IReadOnlyList<DtmfKeyPress> Parse(string? script)
    {
        var presses = new List<DtmfKeyPress>();
        if (string.IsNullOrWhiteSpace(script))
        {
            return presses;
        }

        foreach (var item in script.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.IndexOf('@', StringComparison.Ordinal);
            if (at != 1 || Keys.IndexOf(char.ToUpperInvariant(item[0])) < 0)
            {
                throw new FormatException($"DTMF item '{item}': expected DIGIT@TIME with DIGIT one of {Keys}, for example 1@3.5s");
            }

            if (!TryParseTime(item.AsSpan(2), out var time))
            {
                throw new FormatException($"DTMF item '{item}': expected a time since answer such as 3.5s, 800ms or 1m");
            }

            presses.Add(new DtmfKeyPress(char.ToUpperInvariant(item[0]), time));
        }

        // Stable sort: two keys written for the same instant keep the order they were written in.
        return [.. presses.OrderBy(p => p.At)];
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out TimeSpan time)
    {
        var scale = 1.0;
        var number = text;
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            number = text[..^2];
            scale = 0.001;
        }
        else if (text.EndsWith('s'))
        {
            number = text[..^1];
        }
        else if (text.EndsWith('m'))
        {
            number = text[..^1];
            scale = 60.0;
        }

        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            time = TimeSpan.FromSeconds(value * scale);
            return true;
        }

        time = default;
        return false;
    }
}
