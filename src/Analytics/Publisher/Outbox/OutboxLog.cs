using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>Source-generated log messages of the outbox: no boxing or formatting when the level is off.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(101, LogLevel.Warning,
        "Outbox at {Percent:F0}% of {MaxMiB:F0} MiB ({Events} events): not drained for {Backlog}, broker unreachable or too slow; new events are refused at 100%")]
    public static partial void NearlyFull(ILogger logger, double percent, double maxMiB, int events, TimeSpan backlog);

    [LoggerMessage(102, LogLevel.Information,
        "Outbox {Directory} recovered {Events} undelivered event(s) ({Bytes} bytes) from {Segments} segment(s)")]
    public static partial void Recovered(ILogger logger, string directory, int events, long bytes, int segments);

    [LoggerMessage(103, LogLevel.Warning,
        "Outbox segment {Segment}: truncated a torn tail of {Bytes} bytes at offset {Offset} (a write cut short by a crash)")]
    public static partial void TornTailTruncated(ILogger logger, string segment, long bytes, long offset);

    [LoggerMessage(104, LogLevel.Error,
        "Outbox segment {Segment}: skipped {Bytes} damaged bytes at offset {Offset}; the events stored there are lost")]
    public static partial void CorruptRegionSkipped(ILogger logger, string segment, long bytes, long offset);

    [LoggerMessage(105, LogLevel.Error,
        "Outbox segment {Segment}: skipped the unreadable record at offset {Offset}: {Reason}")]
    public static partial void UnreadableRecordSkipped(ILogger logger, string segment, long offset, string reason);

    [LoggerMessage(106, LogLevel.Warning,
        "Outbox checkpoint {Path} is damaged or points outside the segments; re-delivering from the oldest segment (consumers drop duplicates)")]
    public static partial void CheckpointInvalid(ILogger logger, string path);

    [LoggerMessage(107, LogLevel.Error, "Outbox could not write event {EventType} of call {CallId}; refused")]
    public static partial void AppendFailed(ILogger logger, string eventType, string callId, Exception exception);

    [LoggerMessage(108, LogLevel.Error, "Outbox refused {EventType} of call {CallId}: {Reason}")]
    public static partial void Unstorable(ILogger logger, string eventType, string callId, string reason);

    [LoggerMessage(109, LogLevel.Warning, "Outbox background flush or checkpoint failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception);
}
