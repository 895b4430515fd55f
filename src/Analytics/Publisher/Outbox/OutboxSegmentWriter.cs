using Microsoft.Win32.SafeHandles;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The write side's I/O of <see cref="DiskCallEventQueue"/>: the segment being appended to, where the next record
/// goes, rolling to a new segment, and when the appended bytes are next due for fsync. Not thread-safe: every
/// member is called under the queue's lock, except <see cref="FlushDetached"/>.
/// </summary>
internal sealed class OutboxSegmentWriter : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly TimeProvider _time;
    private SafeFileHandle _handle;
    private bool _unsynced;
    private long _lastFsyncTimestamp;

    private OutboxSegmentWriter(string directory, long segment, int position, long segmentBytes, FileMode mode, TimeProvider time)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _time = time;
        _handle = OpenForWrite(directory, segment, mode);
        Segment = segment;
        Position = position;
        _lastFsyncTimestamp = time.GetTimestamp();
    }

    /// <summary>Index of the segment being appended to.</summary>
    public long Segment { get; private set; }

    /// <summary>Offset in <see cref="Segment"/> where the next record goes.</summary>
    public int Position { get; private set; }

    /// <summary>
    /// Opens the segment to append to after <paramref name="recovery"/>: its last segment from its valid length, or
    /// a new segment (added to <see cref="OutboxRecovery.Segments"/>) when there is none or it is full.
    /// </summary>
    public static OutboxSegmentWriter OpenAfter(OutboxRecovery recovery, long segmentBytes, TimeProvider time)
    {
        var segments = recovery.Segments;
        // Continue the last segment while it has room: restarts then do not leave a trail of small files.
        if (segments.Count > 0 && recovery.LastSegmentLength < segmentBytes)
        {
            return new(recovery.Directory, segments[^1], (int)recovery.LastSegmentLength, segmentBytes, FileMode.Open, time);
        }

        var writer = new OutboxSegmentWriter(
            recovery.Directory, segments.Count > 0 ? segments[^1] + 1 : 0, 0, segmentBytes, FileMode.CreateNew, time);
        segments.Add(writer.Segment);
        return writer;
    }

    /// <summary>Whether a record of <paramref name="length"/> bytes must go to a new segment.</summary>
    /// <remarks>An empty segment takes any record: the queue refuses records longer than a segment beforehand.</remarks>
    public bool MustRollFor(int length) => Position > 0 && Position + (long)length > _segmentBytes;

    /// <summary>Writes one record at <see cref="Position"/>; throws <see cref="IOException"/> when the disk refuses it.</summary>
    public OutboxRecordRef Append(ReadOnlySpan<byte> record)
    {
        // A positional write goes straight to the kernel (no user-space buffer), so once it returns the
        // record survives SIGKILL. A failed write leaves at most junk past Position, which the next
        // write overwrites or recovery truncates as a torn tail.
        RandomAccess.Write(_handle, record, Position);
        var stored = new OutboxRecordRef(Segment, Position, record.Length);
        Position += record.Length;
        _unsynced = true;
        return stored;
    }

    /// <summary>Seals the current segment (made durable first) and starts the next; returns the new index.</summary>
    public long Roll()
    {
        var next = OpenForWrite(_directory, Segment + 1, FileMode.CreateNew);
        RandomAccess.FlushToDisk(_handle);
        _handle.Dispose();
        _handle = next;
        Segment++;
        Position = 0;
        return Segment;
    }

    /// <summary>Makes everything appended so far durable (fsync).</summary>
    public void FlushToDisk() => RandomAccess.FlushToDisk(_handle);

    /// <summary>
    /// The handle to fsync when appends are waiting and <paramref name="interval"/> has passed since the last
    /// timed fsync, or null; from then on the caller owns that fsync (see <see cref="FlushDetached"/>).
    /// </summary>
    public SafeFileHandle? TakeDueFlush(TimeSpan interval)
    {
        if (!_unsynced || _time.GetElapsedTime(_lastFsyncTimestamp) < interval)
        {
            return null;
        }

        _unsynced = false;
        _lastFsyncTimestamp = _time.GetTimestamp();
        return _handle;
    }

    /// <summary>Fsyncs a handle from <see cref="TakeDueFlush"/>, outside the queue's lock.</summary>
    public static void FlushDetached(SafeFileHandle handle)
    {
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        catch (ObjectDisposedException)
        {
            // A concurrent roll closed it, and flushed it to disk itself before closing.
        }
    }

    public void Dispose() => _handle.Dispose();

    private static SafeFileHandle OpenForWrite(string directory, long index, FileMode mode) =>
        File.OpenHandle(OutboxSegments.PathOf(directory, index), mode, FileAccess.Write, FileShare.Read | FileShare.Delete);
}
