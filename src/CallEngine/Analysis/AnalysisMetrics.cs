using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>Instruments of the call analysis, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class AnalysisMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Analysed =
        Meter.CreateCounter<long>("stepaudio.analysis.spans", unit: "{span}", description: "Spans of caller audio analysed for emotion and vocal sounds.");

    public static readonly Counter<long> Skipped =
        Meter.CreateCounter<long>("stepaudio.analysis.skipped", unit: "{span}", description: "Spans not analysed because the analysis queue was full.");

    public static readonly Counter<long> Abandoned =
        Meter.CreateCounter<long>("stepaudio.analysis.abandoned", unit: "{span}", description: "Queued spans not analysed because their call had ended and stopped waiting for them.");

    public static readonly Counter<long> Failed =
        Meter.CreateCounter<long>("stepaudio.analysis.failures", unit: "{span}", description: "Spans whose analysis threw.");
}
