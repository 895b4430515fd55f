using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.Inference.Turns;

/// <summary>Turn-taking instruments on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class TurnMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>
    /// End-of-turn latency, tagged <c>clock=wall|audio</c>. Exported to Prometheus as
    /// <c>stepaudio_turn_end_latency_seconds</c>.
    /// </summary>
    public static readonly Histogram<double> EndLatency = Meter.CreateHistogram<double>(
        "stepaudio.turn_end_latency",
        unit: "s",
        description: "Time from the caller's last voiced audio to the end-of-turn event.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.5, 2, 3] });
}
