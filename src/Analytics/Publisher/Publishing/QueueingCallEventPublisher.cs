using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Diagnostics;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>Puts events on the queue that <see cref="CallEventDeliveryService"/> drains.</summary>
internal sealed class QueueingCallEventPublisher : ICallEventPublisher
{
    // A refusing queue usually means the broker has been away for a while; one line per interval says so
    // without flooding the log at call rate. The queue itself logs the reason (outbox full, event unstorable).
    private static readonly long RejectionLogInterval = Stopwatch.Frequency * 10;

    private readonly ICallEventQueue _queue;
    private readonly PublishingMetrics _metrics;
    private readonly ILogger<QueueingCallEventPublisher> _logger;
    private long _rejectedSinceLastLog;
    private long _lastRejectionLogTimestamp = long.MinValue;

    public QueueingCallEventPublisher(
        ICallEventQueue queue, PublishingMetrics metrics, ILogger<QueueingCallEventPublisher> logger)
    {
        _queue = queue;
        _metrics = metrics;
        _logger = logger;
    }

    public bool TryPublish(ICallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        if (_queue.TryEnqueue(callEvent))
        {
            return true;
        }

        _metrics.Rejected();
        Interlocked.Increment(ref _rejectedSinceLastLog);
        LogRejectionsAtBoundedRate(callEvent);
        return false;
    }

    private void LogRejectionsAtBoundedRate(ICallEvent callEvent)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastRejectionLogTimestamp);
        if (last != long.MinValue && now - last < RejectionLogInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastRejectionLogTimestamp, now, last) != last)
        {
            return; // another thread logs this interval
        }

        var rejected = Interlocked.Exchange(ref _rejectedSinceLastLog, 0);
        PublishingLog.EventsRefused(_logger, _queue.Count, rejected, callEvent.GetType().Name, callEvent.CallId);
    }
}
