using System.Globalization;

namespace StepAudio.Telephony.Benchmarks.VadStreams;

/// <summary>Command line of <c>vad-streams</c>.</summary>
internal sealed record VadStreamsArguments(
    int Streams,
    int Seconds,
    int MaxBatchSize,
    int MaxLagMs,
    string ModelPath,
    string Provider,
    bool Analysis = false,
    float? SilenceGateDbfs = null,
    int BatchIntervalMs = 10,
    int SampleRate = 16_000)
{
    public const string Usage =
        "vad-streams [--streams N] [--seconds S] [--batch 1|max|K] [--max-lag-ms MS] [--model PATH] " +
        "[--provider cpu|cuda] [--analysis on|off] [--gate off|DBFS] [--interval-ms MS] [--rate 16000|8000]";

    public static VadStreamsArguments? Parse(ReadOnlySpan<string> args)
    {
        var parsed = new VadStreamsArguments(100, 10, 256, 500, DefaultModelPath(), "cpu");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            parsed = args[i] switch
            {
                "--streams" => parsed with { Streams = Number(value) },
                "--seconds" => parsed with { Seconds = Number(value) },
                "--batch" => parsed with { MaxBatchSize = value == "max" ? 256 : Number(value) },
                "--max-lag-ms" => parsed with { MaxLagMs = Number(value) },
                "--model" => parsed with { ModelPath = Path.GetFullPath(value) },
                "--provider" => parsed with { Provider = value },
                "--gate" => parsed with { SilenceGateDbfs = value == "off" ? null : float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) },
                "--analysis" => parsed with { Analysis = value == "on" },
                "--interval-ms" => parsed with { BatchIntervalMs = Number(value) },
                "--rate" when value is "8000" or "16000" => parsed with { SampleRate = Number(value) },
                _ => null,
            };
            if (parsed is null)
            {
                return null;
            }
        }

        // The analysis load is fed at 16 kHz (CallAnalysisLoad): --rate 8000 measures the VAD alone.
        return args.Length % 2 == 0 && !(parsed.Analysis && parsed.SampleRate != 16_000) && parsed.Streams > 0 && parsed.Seconds > 0 && parsed.MaxBatchSize > 0 ? parsed : null;
    }

    private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);

    // The repository's models/ (scripts/fetch-vad-model.sh), found from the working directory upwards.
    internal static string DefaultModelPath()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "models", "silero_vad_v5.onnx");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath("models/silero_vad_v5.onnx");
    }
}
