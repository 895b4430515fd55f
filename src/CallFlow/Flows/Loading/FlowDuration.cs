using System.Globalization;
using System.Text.RegularExpressions;

namespace StepAudio.Telephony.CallFlow.Flows.Loading;

/// <summary>
/// Durations as flows write them: <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, or (where the value is
/// a plain YAML number) a number of seconds; at most a day.
/// </summary>
internal static partial class FlowDuration
{
    public static bool TryParse(string text, bool allowBareNumber, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (allowBareNumber && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds <= TimeSpan.FromDays(1).TotalSeconds;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var amount = double.Parse(part.Value[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            value += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(Math.Min(amount, 1e6)),
                _ => TimeSpan.FromHours(Math.Min(amount, 1e6)),
            };
        }

        return value <= TimeSpan.FromDays(1);
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(ms|s|m|h))+$")]
    private static partial Regex DurationPattern();
}
