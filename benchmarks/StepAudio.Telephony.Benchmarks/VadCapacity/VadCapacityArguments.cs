using System.Globalization;

namespace StepAudio.Telephony.Benchmarks.VadCapacity;

/// <summary>Command line of <c>vad-capacity</c>.</summary>
internal sealed record VadCapacityArguments(
    string Provider,
    int[] Batches,
    double Seconds,
    int Threads,
    string ModelPath,
    bool FailIfProviderUnavailable)
{
    public const string Usage =
        "vad-capacity [--provider cpu|cuda] [--batches 1,256,1024,4096] [--seconds S] [--threads T] [--model PATH] [--strict on|off]";

    public static VadCapacityArguments? Parse(ReadOnlySpan<string> args)
    {
        var parsed = new VadCapacityArguments("cpu", [1, 16, 256], 3, 1, VadStreams.VadStreamsArguments.DefaultModelPath(), false);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            parsed = args[i] switch
            {
                "--provider" => parsed with { Provider = value },
                "--batches" => parsed with { Batches = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Number)] },
                "--seconds" => parsed with { Seconds = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) },
                "--threads" => parsed with { Threads = Number(value) },
                "--model" => parsed with { ModelPath = Path.GetFullPath(value) },
                "--strict" => parsed with { FailIfProviderUnavailable = value == "on" },
                _ => null,
            };
            if (parsed is null)
            {
                return null;
            }
        }

        return args.Length % 2 == 0 && parsed.Batches.Length > 0 && parsed.Batches.All(b => b is >= 1 and <= 65_536) &&
               parsed.Seconds > 0 && parsed.Threads is >= 1 and <= 64 ? parsed : null;
    }

    private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
