using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>What a call's flow run logs, generated once so that a step failure costs no boxing or parsing.</summary>
internal static partial class FlowExecutionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: flow {Flow} step {Step} failed: {Error}")]
    public static partial void StepFailed(ILogger logger, string callId, string flow, string step, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: hang-up at the end of the flow failed")]
    public static partial void HangupFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the flow observer threw; trace entry dropped")]
    public static partial void ObserverFailed(ILogger logger, string callId, Exception exception);
}
