using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Queueing;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// A durable <see cref="ICallEventQueue"/>: events are appended to segment files before they are accepted and
/// survive a killed process; a checkpoint records how far delivery got. After a crash, events since the last
/// checkpoint are delivered again (consumers de-duplicate on EventId); an accepted event is never dropped.
/// Many writers (the call path, never blocked by the broker), one reader (the delivery loop).
/// </summary>
internal sealed partial class DiskCallEventQueue : ICallEventQueue, IDisposable
{
    private const string LockFileName = "outbox.lock";
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_recordBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_jsonWriter;

    private readonly OutboxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CallEventCodec _codec = CallEventCodec.Default;
    private readonly OutboxMetrics _metrics;
    private readonly FileStream _lockFile;
    private readonly ITimer _timer;

    // Guarded by _gate: the index of undelivered records, the writer's file and the reader's wake-up.
    private readonly Lock _gate = new();
    private readonly Queue<OutboxRecordRef> _records;
    private readonly List<long> _segments;
    private SafeFileHandle _writeHandle;
    private long _writeSegment;
    private int _writePosition;
    private long _heldBytes;
    private bool _unsynced;
    private long _lastFsyncTimestamp;
    private TaskCompletionSource<bool>? _waiter;
    private long _lastWarningTimestamp;
    private bool _warnedOnce;
    private DateTimeOffset _lastDrainedAt;
    private bool _disposed;

    public DiskCallEventQueue(OutboxOptions options, ILogger<DiskCallEventQueue> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentBytes, int.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, options.SegmentBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FlushToDiskInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.WarnAtRatio, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.WarnAtRatio, 1);
        _options = options;
        _logger = logger;
        _time = time;
        Directory = Path.GetFullPath(options.Directory);
        _lockFile = OpenDirectory(Directory);

        try
        {
            var recovery = OutboxRecovery.Run(Directory, logger);
            _records = recovery.Records;
            _segments = recovery.Segments;
            _heldBytes = recovery.HeldBytes;
            RecoveredAtStart = _records.Count;
            _savedCheckpoint = recovery.Checkpoint;
            _pendingCheckpoint = recovery.Checkpoint;

            // Continue the last segment while it has room: restarts then do not leave a trail of small files.
            if (_segments.Count > 0 && recovery.LastSegmentLength < options.SegmentBytes)
            {
                _writeSegment = _segments[^1];
                _writePosition = (int)recovery.LastSegmentLength;
                _writeHandle = OpenSegmentForWrite(_writeSegment, FileMode.Open);
            }
            else
            {
                _writeSegment = _segments.Count > 0 ? _segments[^1] + 1 : 0;
                _writeHandle = OpenSegmentForWrite(_writeSegment, FileMode.CreateNew);
                _segments.Add(_writeSegment);
            }

            _metrics = new OutboxMetrics(() => HeldBytes, () => Count, () => CapacityRatio);
            _metrics.Recovered(RecoveredAtStart);
            _metrics.Corrupt(recovery.CorruptRegions);
            if (RecoveredAtStart > 0)
            {
                OutboxLog.Recovered(logger, Directory, RecoveredAtStart, _heldBytes, _segments.Count);
            }
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }

        _lastDrainedAt = time.GetUtcNow();
        _lastFsyncTimestamp = time.GetTimestamp();
        _lastCheckpointTimestamp = time.GetTimestamp();
        var period = options.FlushToDiskInterval < CheckpointInterval ? options.FlushToDiskInterval : CheckpointInterval;
        _timer = time.CreateTimer(_ => OnTimer(), null, period, period);
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
    public long HeldBytes => Volatile.Read(ref _heldBytes);

    internal double CapacityRatio => (double)HeldBytes / _options.MaxBytes;

    /// <summary>Exposed so tests can listen to this instance's instruments only.</summary>
    internal OutboxMetrics Metrics => _metrics;

    public bool TryEnqueue(ICallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        var buffer = t_recordBuffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_jsonWriter ??= new Utf8JsonWriter(buffer);
        if (!_codec.TryEncode(callEvent, buffer, json))
        {
            return Refuse(callEvent, "not a known event contract");
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

            if (_heldBytes + record.Length <= _options.MaxBytes)
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
            warnBacklog = ShouldWarn() ? _time.GetUtcNow() - _lastDrainedAt : null;
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

        _timer.Dispose();
        waiter?.TrySetResult(false);
        try
        {
            lock (_gate)
            {
                RandomAccess.FlushToDisk(_writeHandle);
            }

            SaveCheckpoint();
        }
        catch (IOException ex)
        {
            // The data already reached the kernel; only a power loss could now lose it, and a stale checkpoint
            // only means re-delivery. Shutdown goes on.
            OutboxLog.BackgroundFailed(_logger, ex);
        }

        _writeHandle.Dispose();
        _readHandle?.Dispose();
        _metrics.Dispose();
        _lockFile.Dispose();
    }

    private static FileStream OpenDirectory(string directory)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            // An exclusive lock file: two processes appending to one outbox would interleave and corrupt it.
            return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"Outbox directory '{directory}' is not writable: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Outbox directory '{directory}' cannot be used (not writable, or held by another process): {ex.Message}", ex);
        }
    }

    private SafeFileHandle OpenSegmentForWrite(long index, FileMode mode) =>
        File.OpenHandle(OutboxSegments.PathOf(Directory, index), mode, FileAccess.Write, FileShare.Read | FileShare.Delete);

    /// <summary>Appends one encoded record; called under _gate.</summary>
    private bool TryAppend(ReadOnlySpan<byte> record, ICallEvent callEvent)
    {
        try
        {
            if (_writePosition > 0 && _writePosition + (long)record.Length > _options.SegmentBytes)
            {
                RollSegment();
            }

            // A positional write goes straight to the kernel (no user-space buffer), so once it returns the
            // record survives SIGKILL. A failed write leaves at most junk past _writePosition, which the next
            // write overwrites or recovery truncates as a torn tail.
            RandomAccess.Write(_writeHandle, record, _writePosition);
        }
        catch (IOException ex)
        {
            _metrics.Rejected();
            OutboxLog.AppendFailed(_logger, callEvent.GetType().Name, callEvent.CallId, ex);
            return false;
        }

        _records.Enqueue(new OutboxRecordRef(_writeSegment, _writePosition, record.Length));
        _writePosition += record.Length;
        Volatile.Write(ref _heldBytes, _heldBytes + record.Length);
        _unsynced = true;
        return true;
    }

    /// <summary>Seals the current segment (made durable first) and starts the next; called under _gate.</summary>
    private void RollSegment()
    {
        var next = OpenSegmentForWrite(_writeSegment + 1, FileMode.CreateNew);
        RandomAccess.FlushToDisk(_writeHandle);
        _writeHandle.Dispose();
        _writeHandle = next;
        _writeSegment++;
        _writePosition = 0;
        _segments.Add(_writeSegment);
    }

    /// <summary>Called under _gate after an append.</summary>
    private bool ShouldWarn()
    {
        if ((double)_heldBytes / _options.MaxBytes < _options.WarnAtRatio)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (_warnedOnce && _time.GetElapsedTime(_lastWarningTimestamp, now) < WarningInterval)
        {
            return false;
        }

        _warnedOnce = true;
        _lastWarningTimestamp = now;
        return true;
    }

    private bool Refuse(ICallEvent callEvent, string reason)
    {
        _metrics.Rejected();
        OutboxLog.Unstorable(_logger, callEvent.GetType().Name, callEvent.CallId, reason);
        return false;
    }

    private void OnTimer()
    {
        try
        {
            SafeFileHandle? toSync = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                if (_unsynced && _time.GetElapsedTime(_lastFsyncTimestamp) >= _options.FlushToDiskInterval)
                {
                    toSync = _writeHandle;
                    _unsynced = false;
                    _lastFsyncTimestamp = _time.GetTimestamp();
                }
            }

            // Outside the lock so writers are not held up by the disk; a concurrent roll that closes the handle
            // has already flushed it itself.
            if (toSync is not null)
            {
                try
                {
                    RandomAccess.FlushToDisk(toSync);
                }
                catch (ObjectDisposedException)
                {
                }
            }

            SaveCheckpoint();
        }
        catch (Exception ex)
        {
            OutboxLog.BackgroundFailed(_logger, ex);
        }
    }
}
