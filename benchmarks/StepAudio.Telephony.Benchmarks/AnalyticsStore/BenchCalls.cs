using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Benchmarks.AnalyticsStore;

/// <summary>Synthetic calls for the store benchmark: eight events each, varied outcomes, emotions and vocal events.</summary>
internal static class BenchCalls
{
    private static readonly string[] Flows = ["billing", "support", "sales", "claims"];
    private static readonly string[] Outcomes = ["completed", "completed", "completed", "transferred", "abandoned", "failed"];
    private static readonly string[] Labels = ["Neutral", "Happy", "Sad", "Angry", "Frustrated"];

    public const int EventsPerCall = 8;

    /// <summary>Call <paramref name="n"/>, started at <paramref name="start"/>.</summary>
    public static ICallEvent[] Call(string prefix, int n, DateTimeOffset start)
    {
        var id = $"{prefix}-{n}";
        var flow = Flows[n % Flows.Length];
        var random = new Random(n);
        var peak = random.NextDouble();
        var label = Labels[random.Next(Labels.Length)];
        var vocal = random.Next(3) switch { 0 => "Sigh", 1 => "Laugh", _ => "Crying" };
        var duration = 30 + random.Next(300);
        return
        [
            new CallStarted(Guid.NewGuid(), id, 1, start, $"sip:+49301234{n % 10000:D4}@trunk.example", "sip:bot@gw.example", "PCMU/8000", flow),
            new SpeechSegmentDetected(Guid.NewGuid(), id, 2, start.AddSeconds(5), 1, 5, 4),
            new EmotionDetected(Guid.NewGuid(), id, 3, start.AddSeconds(5.3), 1, 5, "Neutral", 0.6, 0.1, 0, "acoustic", [new LabelScore("Neutral", 0.6)]),
            new DtmfReceived(Guid.NewGuid(), id, 4, start.AddSeconds(8), "1", 0.1, "rfc4733"),
            new EmotionDetected(Guid.NewGuid(), id, 5, start.AddSeconds(15), 10, 14.5, label, 0.7, 0.5, -0.3, "acoustic", [new LabelScore(label, 0.7)]),
            new FrustrationChanged(Guid.NewGuid(), id, 6, start.AddSeconds(16), 15, peak, 0.1, peak >= 0.75 ? "high" : peak >= 0.5 ? "elevated" : "calm",
                peak >= 0.5 ? 0.5 : null, [new FrustrationReason("negative-emotion", peak / 2, 15, $"{label} 0.70")]),
            new VocalEventDetected(Guid.NewGuid(), id, 7, start.AddSeconds(17), vocal, 16, 0.5, 0.8, false),
            new CallEnded(Guid.NewGuid(), id, 8, start.AddSeconds(duration), duration, "caller", "bye", 2, peak,
                new Dictionary<string, int> { [vocal] = 1 }, Outcome: Outcomes[n % Outcomes.Length], Flow: flow),
        ];
    }
}
