using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>The single reader's side: peek the oldest record from disk, remove it once delivered, checkpoint.</summary>
internal sealed partial class DiskCallEventQueue
{
    private const int ReadAheadBytes = 64 * 1024;

    /// <summary>
    /// Checkpoint cadence. Each checkpoint is a file write and a rename, too dear for every event at thousands
    /// per second; what a crash loses is at most this many events' progress, which are then re-delivered.
    /// </summary>
    private const int CheckpointEveryRemovals = 256;

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(100);

    // Reader-only state (one reader by contract).
    private ICallEvent? _head;
    private SafeFileHandle? _readHandle;
    private long _readHandleSegment = -1;
    private byte[] _readBuffer = new byte[ReadAheadBytes];
    private long _bufferSegment = -1;
    private int _bufferOffset;
    private int _bufferLength;

    // Guarded by _gate.
    private OutboxPosition _pendingCheckpoint;
    private int _removalsSinceCheckpoint;
    private long _lastCheckpointTimestamp;

    // Guarded by _checkpointGate, which serialises the reader's and the timer's checkpoint writes.
    private readonly Lock _checkpointGate = new();
    private OutboxPosition _savedCheckpoint;

    /// <summary>
    /// The oldest undelivered event, read from disk once and kept until <see cref="RemoveHead"/>. A record damaged
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
                if (_records.Count == 0)
                {
                    callEvent = null;
                    return false;
                }

                next = _records.Peek();
            }

            if (TryRead(next, out callEvent, out var error))
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

    public void RemoveHead()
    {
        _head = null;
        Advance();
    }

    private bool TryRead(OutboxRecordRef record, [MaybeNullWhen(false)] out ICallEvent callEvent, out string error)
    {
        var cached = IsBuffered(record);
        var bytes = cached ? BufferedBytes(record) : Fill(record);
        if (!OutboxRecord.TryValidate(bytes, out var length) && cached)
        {
            // The read-ahead may have caught a write that failed and was later overwritten; read it again.
            bytes = Fill(record);
        }

        if (!OutboxRecord.TryValidate(bytes, out length) || length != record.Length)
        {
            callEvent = null;
            error = "damaged record (framing or CRC mismatch)";
            return false;
        }

        if (_codec.TryDecode(bytes[OutboxRecord.HeaderLength..], out var decoded, out var decodeError))
        {
            callEvent = decoded!;
            error = string.Empty;
            return true;
        }

        callEvent = null;
        error = decodeError ?? "unreadable";
        return false;
    }

    private bool IsBuffered(OutboxRecordRef record) =>
        record.Segment == _bufferSegment
        && record.Offset >= _bufferOffset
        && (long)record.Offset + record.Length <= (long)_bufferOffset + _bufferLength;

    private ReadOnlySpan<byte> BufferedBytes(OutboxRecordRef record) =>
        _readBuffer.AsSpan(record.Offset - _bufferOffset, record.Length);

    /// <summary>Reads from the record onwards, as much as the read-ahead buffer holds; appended bytes never change.</summary>
    private ReadOnlySpan<byte> Fill(OutboxRecordRef record)
    {
        if (_readHandle is null || _readHandleSegment != record.Segment)
        {
            _readHandle?.Dispose();
            _readHandle = null;
            _readHandle = File.OpenHandle(OutboxSegments.PathOf(Directory, record.Segment), FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            _readHandleSegment = record.Segment;
        }

        if (_readBuffer.Length < record.Length)
        {
            _readBuffer = new byte[record.Length];
        }

        var handle = _readHandle;
        var filled = 0;
        while (filled < record.Length)
        {
            var read = RandomAccess.Read(handle, _readBuffer.AsSpan(filled), record.Offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        _bufferSegment = record.Segment;
        _bufferOffset = record.Offset;
        _bufferLength = filled;
        return _readBuffer.AsSpan(0, Math.Min(filled, record.Length));
    }

    /// <summary>Drops the head record from the index and moves the checkpoint past it when due.</summary>
    private void Advance()
    {
        bool due;
        lock (_gate)
        {
            if (!_records.TryDequeue(out var removed))
            {
                throw new InvalidOperationException("RemoveHead called on an empty queue.");
            }

            Volatile.Write(ref _heldBytes, _heldBytes - removed.Length);
            if (_records.TryPeek(out var head))
            {
                _pendingCheckpoint = new OutboxPosition(head.Segment, head.Offset);
            }
            else
            {
                _pendingCheckpoint = new OutboxPosition(_writeSegment, _writePosition);
                _lastDrainedAt = _time.GetUtcNow();
            }

            _removalsSinceCheckpoint++;
            due = _removalsSinceCheckpoint >= CheckpointEveryRemovals
                || _time.GetElapsedTime(_lastCheckpointTimestamp) >= CheckpointInterval;
        }

        if (due)
        {
            try
            {
                SaveCheckpoint();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Delivery goes on: the timer retries, and a checkpoint that lags only means re-delivery after a crash.
                OutboxLog.BackgroundFailed(_logger, ex);
            }
        }
    }

    /// <summary>Persists the pending checkpoint, then deletes the segments it has passed.</summary>
    private void SaveCheckpoint()
    {
        lock (_checkpointGate)
        {
            OutboxPosition position;
            lock (_gate)
            {
                position = _pendingCheckpoint;
                _removalsSinceCheckpoint = 0;
                _lastCheckpointTimestamp = _time.GetTimestamp();
            }

            if (position == _savedCheckpoint)
            {
                return;
            }

            OutboxCheckpoint.Write(Directory, position);
            _savedCheckpoint = position;

            List<long>? passed = null;
            lock (_gate)
            {
                while (_segments.Count > 0 && _segments[0] < position.Segment)
                {
                    (passed ??= []).Add(_segments[0]);
                    _segments.RemoveAt(0);
                }
            }

            // Only after the checkpoint is on disk: a crash in between finds the checkpoint past these segments
            // and recovery deletes them then.
            foreach (var segment in passed ?? [])
            {
                File.Delete(OutboxSegments.PathOf(Directory, segment));
            }
        }
    }
}
