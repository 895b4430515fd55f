using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Threading;

/// <summary>Log messages of <see cref="BackgroundWorkerPool{T}"/>.</summary>
internal static partial class BackgroundWorkerPoolLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Worker thread {Thread} could not set its nice value to {Nice} (errno {Errno}); the workers run at the priority they inherited")]
    public static partial void NiceNotSet(ILogger logger, string thread, int nice, int errno);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker thread {Thread}: reporting a failed item failed")]
    public static partial void ReportFailed(ILogger logger, string thread, Exception exception);
}
