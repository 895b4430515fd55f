using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.CallEngine;

/// <summary>The log messages of <see cref="EngineCall"/> (source-generated, so a call's hot path formats nothing unless enabled).</summary>
internal static partial class EngineCallLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech analysis failed for call {CallId} ({Failures} failures so far)")]
    public static partial void AnalysisFailed(ILogger logger, string callId, int failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventType} for call {CallId} was not accepted")]
    public static partial void EventRejected(ILogger logger, string eventType, string callId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} DTMF {Digit} ({DurationMs} ms) via {Source}")]
    public static partial void Dtmf(ILogger logger, string callId, char digit, int durationMs, string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} DTMF {Digit} via {Source} ignored: the call's digits come via {Trusted}")]
    public static partial void DtmfOtherSource(ILogger logger, string callId, char digit, string source, string trusted);
}
