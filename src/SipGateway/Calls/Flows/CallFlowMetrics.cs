using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>Instruments of calls run by flows, on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class CallFlowMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    public static readonly Counter<long> Bridges =
        Meter.CreateCounter<long>("stepaudio.flows.bridges", unit: "{call}", description: "Bridge transfers attempted, by SIP status of the agent leg.");

    public static readonly Counter<long> EarlyMedia =
        Meter.CreateCounter<long>("stepaudio.flows.early_media", unit: "{call}", description: "Early-media announcements before answer, by result (played, cancelled, skipped_no_100rel, failed).");
}
