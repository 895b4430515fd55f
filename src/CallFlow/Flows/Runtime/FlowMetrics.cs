using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Call flow instruments on the process-wide "StepAudio.Telephony" meter.</summary>
internal static class FlowMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>Flows that ended, tagged <c>flow</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> Ended = Meter.CreateCounter<long>(
        "stepaudio.flow.ended", unit: "{call}", description: "Call flows that ended, by flow and outcome.");

    /// <summary>Steps that failed, tagged <c>flow</c> and <c>verb</c>.</summary>
    public static readonly Counter<long> StepFailures = Meter.CreateCounter<long>(
        "stepaudio.flow.step_failures", unit: "{step}", description: "Steps that failed (webhook, transfer, prompt, record).");

    /// <summary>Global handlers that took over, tagged <c>handler</c>.</summary>
    public static readonly Counter<long> HandlerFired = Meter.CreateCounter<long>(
        "stepaudio.flow.handlers_fired", unit: "{event}", description: "on_frustration, on_silence and on_error transitions.");

    /// <summary>Webhook calls, tagged <c>result</c> (<c>ok</c>, <c>failed</c>, <c>circuit_open</c>).</summary>
    public static readonly Counter<long> Webhooks = Meter.CreateCounter<long>(
        "stepaudio.flow.webhooks", unit: "{request}", description: "Webhook calls by result.");
}
