using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>Log messages of the batching scheduler (source-generated: they are on the inference thread).</summary>
internal static partial class VadBatchingLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "VAD inference is behind: {Count} windows older than {MaxLagMs} ms were skipped as non-speech on {Thread} since the last report")]
    public static partial void WindowsDropped(ILogger logger, long count, string thread, int maxLagMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batched VAD run of {BatchSize} windows failed ({Failures} failures so far); the windows are retried")]
    public static partial void RunFailed(ILogger logger, int batchSize, long failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "VAD inference thread {Thread} hit an unexpected error ({Failures} failures so far); it goes on")]
    public static partial void WorkerFailed(ILogger logger, string thread, long failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "VAD batching scheduler: {Threads} inference thread(s) at nice {Nice}, batches of up to {MaxBatchSize}, backlog bound {MaxLagMs} ms, silence gate at {SilenceGateDbfs} dBFS (empty: off)")]
    public static partial void Started(ILogger logger, int threads, int nice, int maxBatchSize, int maxLagMs, float? silenceGateDbfs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "VAD inference thread {Thread} could not be set to nice {Nice} (errno {Errno}; lowering it needs root, CAP_SYS_NICE or RLIMIT_NICE): it shares the cores equally with every other thread and may skip windows on a busy host")]
    public static partial void NiceNotSet(ILogger logger, string thread, int nice, int errno);
}
