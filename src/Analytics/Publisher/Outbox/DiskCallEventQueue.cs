using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// A durable <see cref="ICallEventQueue"/>: events are appended to segment files before they are accepted and
/// survive a killed process; a checkpoint records how far delivery got. After a crash, events since the last
/// checkpoint are delivered again (consumers de-duplicate on EventId); an accepted event is never dropped.
/// Many writers (the call path, never blocked by the broker), one reader (the delivery loop).
/// </summary>
/// <remarks>
/// This type keeps the lock and answers the queue's contract; the undelivered records are indexed by
/// <see cref="OutboxIndex"/>, and the disk work is done by <see cref="OutboxSegmentWriter"/> (appends, under the
/// lock), <see cref="OutboxRecordReader"/> (reads, by the single reader, outside it),
/// <see cref="OutboxCheckpointKeeper"/> (checkpoint and segment deletion) and <see cref="OutboxFlushTimer"/> (the
/// timed fsync and checkpoint saves).
/// </remarks>
internal sealed class DiskCallEventQueue : ICallEventQueue, IDisposable
{
    private readonly OutboxOptions _options;
    private readonly ILogger _logger;
    private readonly CallEventCodec _codec = CallEventCodec.Default;
    private readonly OutboxMetrics _metrics;
    private readonly FileStream _lockFile;
    private readonly OutboxFlushTimer _flushTimer;
    private readonly OutboxCheckpointKeeper _checkpoints;
    private readonly OutboxFillWarning _fillWarning;

    // Guarded by _gate: the index of undelivered records, the writer, the fill warning and the reader's wake-up.
    private readonly Lock _gate = new();
    private readonly OutboxIndex _records;
    private readonly OutboxSegmentWriter _writer;
    private TaskCompletionSource<bool>? _waiter;
    private bool _disposed;

    // Reader-only state (one reader by contract).
    private readonly OutboxRecordReader _reader;
    private readonly List<OutboxRecordRef> _batchRefs = [];
    private ICallEvent? _head;

    public DiskCallEventQueue(OutboxOptions options, ILogger<DiskCallEventQueue> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        OutboxOptionsGuard.ThrowIfUnusable(options);
        _options = options;
        _logger = logger;
        Directory = Path.GetFullPath(options.Directory);
        _lockFile = OutboxLockFile.Acquire(Directory);

        try
        {
            var recovery = OutboxRecovery.Run(Directory, logger);
            var segments = recovery.Segments;
            _records = new OutboxIndex(recovery.Records, recovery.HeldBytes);
            RecoveredAtStart = _records.Count;
            _writer = OutboxSegmentWriter.OpenAfter(recovery, options.SegmentBytes, time);
            _checkpoints = new OutboxCheckpointKeeper(Directory, _gate, segments, recovery.Checkpoint, time);
            _reader = new OutboxRecordReader(Directory, _codec);
            _metrics = new OutboxMetrics(() => HeldBytes, () => Count, () => CapacityRatio);
            _metrics.Recovered(RecoveredAtStart);
            _metrics.Corrupt(recovery.CorruptRegions);
            if (RecoveredAtStart > 0)
            {
                OutboxLog.Recovered(logger, Directory, RecoveredAtStart, _records.HeldBytes, segments.Count);
            }
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }

        _fillWarning = new OutboxFillWarning(options, time);
        _flushTimer = new OutboxFlushTimer(_gate, _writer, _checkpoints, options.FlushToDiskInterval, logger, time);
    }

    /// <summary>The outbox folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>Undelivered events found on disk when the outbox opened.</summary>
    public int RecoveredAtStart { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Bytes of undelivered records (framing included); compared against <see cref="OutboxOptions.MaxBytes"/>.</summary>
    public long HeldBytes => _records.HeldBytes;

    internal double CapacityRatio => (double)HeldBytes / _options.MaxBytes;

    /// <summary>Exposed so tests can listen to this instance's instruments only.</summary>
    internal OutboxMetrics Metrics => _metrics;

    public bool TryEnqueue(ICallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        var buffer = OutboxRecordEncoder.TryEncode(_codec, callEvent, out var unstorable);
        if (buffer is null)
        {
            return Refuse(callEvent, unstorable);
        }

        var record = buffer.WrittenSpan;
        if (record.Length > _options.SegmentBytes)
        {
            return Refuse(callEvent, $"{record.Length} bytes exceed Outbox:SegmentBytes");
        }

        TaskCompletionSource<bool>? waiter = null;
        TimeSpan? warnBacklog;
        var accepted = false;
        lock (_gate)
        {
            if (_disposed)
            {
                _metrics.Rejected();
                return false;
            }

            if (_records.Fits(record.Length, _options.MaxBytes))
            {
                accepted = TryAppend(record, callEvent);
                if (accepted)
                {
                    waiter = _waiter;
                    _waiter = null;
                }
            }
            else
            {
                _metrics.Rejected();
            }

            // Also while refusing: a full outbox is exactly when the operator must hear about it.
            warnBacklog = _fillWarning.Due(_records.HeldBytes);
        }

        waiter?.TrySetResult(true);
        if (warnBacklog is { } backlog)
        {
            OutboxLog.NearlyFull(_logger, CapacityRatio * 100, _options.MaxBytes / (1024.0 * 1024.0), Count, backlog);
        }

        return accepted;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Task<bool> task;
        lock (_gate)
        {
            if (_records.Count > 0)
            {
                return ValueTask.FromResult(true);
            }

            if (_disposed)
            {
                return ValueTask.FromResult(false);
            }

            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiter.Task;
        }

        return new ValueTask<bool>(task.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// The oldest undelivered event, read from disk once and kept until <see cref="RemoveHead()"/>. A record damaged
    /// on disk since it was written is logged, counted and skipped. Throws <see cref="IOException"/> only when the
    /// segment file itself cannot be read (a failing disk).
    /// </summary>
    public bool TryPeek([MaybeNullWhen(false)] out ICallEvent callEvent)
    {
        if (_head is not null)
        {
            callEvent = _head;
            return true;
        }

        while (true)
        {
            OutboxRecordRef next;
            lock (_gate)
            {
                if (!_records.TryPeekHead(out next))
                {
                    callEvent = null;
                    return false;
                }
            }

            // Outside the lock: appended records never change, and only this reader removes them.
            if (_reader.TryRead(next, out callEvent, out var error))
            {
                _head = callEvent;
                return true;
            }

            // Only damage on disk gets here: the record passed its CRC when written or recovered.
            OutboxLog.UnreadableRecordSkipped(_logger, OutboxSegments.PathOf(Directory, next.Segment), next.Offset, error);
            _metrics.Corrupt(1);
            Advance();
        }
    }

    /// <summary>Batch peek for the delivery loop's windows (reader side only).</summary>
    public int PeekBatch(List<ICallEvent> window, int max)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (!TryPeek(out var head))
        {
            return 0;
        }

        window.Add(head);
        _batchRefs.Clear();
        lock (_gate)
        {
            _records.CopyAfterHead(_batchRefs, max - 1);
        }

        // A damaged record ends the batch; once it is the head, TryPeek logs, counts and skips it.
        return 1 + _reader.ReadWhileIntact(_batchRefs, window);
    }

    public void RemoveHead()
    {
        _head = null;
        Advance();
    }

    public void RemoveHead(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            RemoveHead();
        }
    }

    public void Dispose()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiter = _waiter;
            _waiter = null;
        }

        _flushTimer.Dispose();
        waiter?.TrySetResult(false);
        _flushTimer.FlushNow();
        _writer.Dispose();
        _reader.Dispose();
        _metrics.Dispose();
        _lockFile.Dispose();
    }

    /// <summary>Appends one encoded record; called under _gate.</summary>
    private bool TryAppend(ReadOnlySpan<byte> record, ICallEvent callEvent)
    {
        OutboxRecordRef stored;
        try
        {
            if (_writer.MustRollFor(record.Length))
            {
                _checkpoints.SegmentAdded(_writer.Roll());
            }

            stored = _writer.Append(record);
        }
        catch (IOException ex)
        {
            _metrics.Rejected();
            OutboxLog.AppendFailed(_logger, callEvent.GetType().Name, callEvent.CallId, ex);
            return false;
        }

        _records.Add(stored);
        return true;
    }

    /// <summary>Drops the head record from the index and moves the checkpoint past it when due.</summary>
    private void Advance()
    {
        bool due;
        lock (_gate)
        {
            _records.RemoveHead();
            OutboxPosition next;
            if (_records.TryPeekHead(out var head))
            {
                next = new OutboxPosition(head.Segment, head.Offset);
            }
            else
            {
                next = new OutboxPosition(_writer.Segment, _writer.Position);
                _fillWarning.Drained();
            }

            due = _checkpoints.Removed(next);
        }

        if (due)
        {
            try
            {
                _checkpoints.Save();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Delivery goes on: the timer retries, and a checkpoint that lags only means re-delivery after a crash.
                OutboxLog.BackgroundFailed(_logger, ex);
            }
        }
    }

    private bool Refuse(ICallEvent callEvent, string reason)
    {
        _metrics.Rejected();
        OutboxLog.Unstorable(_logger, callEvent.GetType().Name, callEvent.CallId, reason);
        return false;
    }
}
