using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The outbox's durability in the background: on a timer, fsyncs appends older than
/// <see cref="OutboxOptions.FlushToDiskInterval"/> and lets the checkpoint catch up with delivery; at shutdown, does
/// both once more. Neither waits on the call path: the fsync runs outside the queue's lock.
/// </summary>
/// <remarks>Shares the queue's lock (<c>gate</c>), which guards the writer.</remarks>
internal sealed class OutboxFlushTimer : IDisposable
{
    private readonly Lock _gate;
    private readonly OutboxSegmentWriter _writer;
    private readonly OutboxCheckpointKeeper _checkpoints;
    private readonly TimeSpan _flushInterval;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private bool _stopped; // guarded by _gate

    /// <param name="gate">The queue's lock, which guards <paramref name="writer"/>.</param>
    /// <param name="writer">The queue's segment writer.</param>
    /// <param name="checkpoints">The queue's checkpoint keeper.</param>
    /// <param name="flushInterval">How long an append may wait for its fsync (<see cref="OutboxOptions.FlushToDiskInterval"/>).</param>
    /// <param name="logger">Where background failures go.</param>
    /// <param name="time">The clock the timer runs on.</param>
    public OutboxFlushTimer(
        Lock gate, OutboxSegmentWriter writer, OutboxCheckpointKeeper checkpoints, TimeSpan flushInterval, ILogger logger, TimeProvider time)
    {
        _gate = gate;
        _writer = writer;
        _checkpoints = checkpoints;
        _flushInterval = flushInterval;
        _logger = logger;

        // Often enough for both: the fsync deadline and the checkpoint's own cadence.
        var period = flushInterval < OutboxCheckpointKeeper.Interval ? flushInterval : OutboxCheckpointKeeper.Interval;
        _timer = time.CreateTimer(_ => OnTimer(), null, period, period);
    }

    /// <summary>
    /// The shutdown flush: everything appended to disk, then the checkpoint. Call after <see cref="Dispose"/>, before
    /// the writer is disposed.
    /// </summary>
    public void FlushNow()
    {
        try
        {
            lock (_gate)
            {
                _writer.FlushToDisk();
            }

            _checkpoints.Save();
        }
        catch (IOException ex)
        {
            // The data already reached the kernel; only a power loss could now lose it, and a stale checkpoint
            // only means re-delivery. Shutdown goes on.
            OutboxLog.BackgroundFailed(_logger, ex);
        }
    }

    /// <summary>Stops the timer; a tick already past its check finishes on its own.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _timer.Dispose();
    }

    private void OnTimer()
    {
        try
        {
            SafeFileHandle? toSync;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                toSync = _writer.TakeDueFlush(_flushInterval);
            }

            // Outside the lock so writers are not held up by the disk; a concurrent roll that closes the handle
            // has already flushed it itself.
            if (toSync is not null)
            {
                OutboxSegmentWriter.FlushDetached(toSync);
            }

            _checkpoints.Save();
        }
        catch (Exception ex)
        {
            OutboxLog.BackgroundFailed(_logger, ex);
        }
    }
}
