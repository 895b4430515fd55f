using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>Instruments of calls run by flows, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class FlowRunMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Outcomes =
        Meter.CreateCounter<long>("stepaudio.flows.outcomes", unit: "{call}", description: "Calls whose flow ended, by flow and outcome.");
}
