using System.Globalization;

namespace StepAudio.Telephony.Benchmarks.EventLoad;

/// <summary>Command line of <c>event-load</c>.</summary>
internal sealed record EventLoadArguments(
    int Events,
    int Calls,
    int Rate,
    int RateSeconds,
    bool Outbox = true)
{
    public const string Usage =
        "event-load [--events N] [--calls C] [--rate R] [--rate-seconds S] [--outbox on|off]";

    public static EventLoadArguments? Parse(ReadOnlySpan<string> args)
    {
        var parsed = new EventLoadArguments(5000, 50, 200, 10);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            parsed = args[i] switch
            {
                "--events" => parsed with { Events = Number(value) },
                "--calls" => parsed with { Calls = Number(value) },
                "--rate" => parsed with { Rate = Number(value) },
                "--rate-seconds" => parsed with { RateSeconds = Number(value) },
                "--outbox" when value is "on" or "off" => parsed with { Outbox = value == "on" },
                _ => null,
            };
            if (parsed is null)
            {
                return null;
            }
        }

        // Every call needs at least its CallStarted and CallEnded.
        return args.Length % 2 == 0 && parsed.Calls > 0 && parsed.Events >= 2 * parsed.Calls
            && parsed.Rate > 0 && parsed.RateSeconds > 0 ? parsed : null;
    }

    private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
