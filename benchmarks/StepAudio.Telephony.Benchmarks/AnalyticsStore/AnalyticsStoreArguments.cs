using System.Globalization;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Benchmarks.AnalyticsStore;

/// <summary>Command line of <c>analytics-store</c>.</summary>
internal sealed record AnalyticsStoreArguments(StoreProvider Provider, int IngestCalls, int StoredCalls, string Synchronous = "FULL", int WriteBatchSize = 100)
{
    public const string Usage =
        "analytics-store [--provider sqlite|postgres] [--ingest-calls N (8 events each)] [--stored-calls M] [--sqlite-synchronous FULL|NORMAL] [--write-batch-size B (1: one event per transaction)]";

    public static AnalyticsStoreArguments? Parse(ReadOnlySpan<string> args)
    {
        var parsed = new AnalyticsStoreArguments(StoreProvider.Sqlite, 1000, 100_000);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            parsed = args[i] switch
            {
                "--provider" when value is "sqlite" or "postgres" =>
                    parsed with { Provider = value == "sqlite" ? StoreProvider.Sqlite : StoreProvider.Postgres },
                "--ingest-calls" => parsed with { IngestCalls = Number(value) },
                "--stored-calls" => parsed with { StoredCalls = Number(value) },
                "--write-batch-size" => parsed with { WriteBatchSize = Number(value) },
                "--sqlite-synchronous" when value is "FULL" or "NORMAL" => parsed with { Synchronous = value },
                _ => null,
            };
            if (parsed is null)
            {
                return null;
            }
        }

        return args.Length % 2 == 0 && parsed.IngestCalls > 0 && parsed.StoredCalls >= parsed.IngestCalls && parsed.WriteBatchSize > 0 ? parsed : null;
    }

    private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
