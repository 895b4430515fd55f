using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>Source-generated log messages: no boxing or formatting when the level is off.</summary>
internal static partial class PublishingLog
{
    [LoggerMessage(1, LogLevel.Warning,
        "Cannot publish call events to the broker; holding {Queued} event(s) and retrying with backoff")]
    public static partial void BrokerUnavailable(ILogger logger, int queued, Exception exception);

    [LoggerMessage(2, LogLevel.Information,
        "Call event delivery resumed after {FailedAttempts} failed attempt(s); {Queued} event(s) queued")]
    public static partial void DeliveryResumed(ILogger logger, int failedAttempts, int queued);

    [LoggerMessage(3, LogLevel.Warning,
        "Call event queue refused {Rejected} event(s) since the last report ({Depth} events held), latest {EventType} of call {CallId}; the queue logs why (full, or the event cannot be stored)")]
    public static partial void EventsRefused(ILogger logger, int depth, long rejected, string eventType, string callId);

    [LoggerMessage(4, LogLevel.Information,
        "Call event publisher stopped; all events delivered ({Delivered} during shutdown)")]
    public static partial void AllDeliveredAtShutdown(ILogger logger, int delivered);

    [LoggerMessage(5, LogLevel.Warning,
        "Call event publisher stopped with {Undelivered} undelivered event(s) after draining for {DrainTimeout}")]
    public static partial void UndeliveredAtShutdown(ILogger logger, int undelivered, TimeSpan drainTimeout);
}
