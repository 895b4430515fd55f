using System.Diagnostics;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// Traces of call flows: one <c>flow.step</c> activity per step run (tags <c>flow</c>, <c>flow.version</c>,
/// <c>step</c>, <c>verb</c>, <c>call.id</c>). Nothing is recorded unless a listener (the gateway's OTLP exporter,
/// Tracing:Enabled) subscribes to <see cref="SourceName"/>.
/// </summary>
public static class FlowTracing
{
    /// <summary>The ActivitySource name to subscribe to.</summary>
    public const string SourceName = "StepAudio.Telephony.CallFlow";

    internal static readonly ActivitySource Source = new(SourceName);
}
