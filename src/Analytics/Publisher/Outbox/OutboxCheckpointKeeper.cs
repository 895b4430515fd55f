namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Where delivery stands on disk for <see cref="DiskCallEventQueue"/>: the pending checkpoint (moved by each
/// removal), the saved one, when the next save is due, and the segment files the checkpoint has not yet passed,
/// which it deletes once the checkpoint naming a later segment is on disk.
/// </summary>
/// <remarks>
/// Shares the queue's lock (<c>gate</c>) rather than taking one of its own: the segment list is also extended by
/// the writer's roll, and the pending position is computed from the queue's index, both under that lock.
/// </remarks>
internal sealed class OutboxCheckpointKeeper
{
    /// <summary>How often the queue's timer gives the checkpoint a chance to catch up with delivery.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Checkpoint cadence. Each checkpoint is a file write and a rename, too dear for every event at thousands
    /// per second; what a crash loses is at most this many events' progress, which are then re-delivered.
    /// </summary>
    private const int EveryRemovals = 256;

    private readonly string _directory;
    private readonly TimeProvider _time;

    // Guarded by _gate (the queue's lock).
    private readonly Lock _gate;
    private readonly List<long> _segments;
    private OutboxPosition _pending;
    private int _removalsSinceSave;
    private long _lastSaveTimestamp;

    // Guarded by _saveGate, which serialises the reader's and the timer's checkpoint writes.
    private readonly Lock _saveGate = new();
    private OutboxPosition _saved;

    /// <param name="directory">The outbox folder.</param>
    /// <param name="gate">The queue's lock, which guards <paramref name="segments"/> and the pending checkpoint.</param>
    /// <param name="segments">Segment indices on disk, oldest first; owned by the keeper from now on.</param>
    /// <param name="saved">The checkpoint recovery found (or would have written) on disk.</param>
    /// <param name="time">Clock for the save cadence.</param>
    public OutboxCheckpointKeeper(string directory, Lock gate, List<long> segments, OutboxPosition saved, TimeProvider time)
    {
        _directory = directory;
        _gate = gate;
        _segments = segments;
        _saved = saved;
        _pending = saved;
        _time = time;
        _lastSaveTimestamp = time.GetTimestamp();
    }

    /// <summary>Records a segment the writer has just started; called under the queue's lock.</summary>
    public void SegmentAdded(long index) => _segments.Add(index);

    /// <summary>
    /// Moves the pending checkpoint to <paramref name="next"/> after one removal; called under the queue's lock.
    /// Returns whether a save is due (by count or by time), which the caller then does outside the lock.
    /// </summary>
    public bool Removed(OutboxPosition next)
    {
        _pending = next;
        _removalsSinceSave++;
        return _removalsSinceSave >= EveryRemovals || _time.GetElapsedTime(_lastSaveTimestamp) >= Interval;
    }

    /// <summary>Persists the pending checkpoint, then deletes the segments it has passed.</summary>
    /// <remarks>Takes the queue's lock itself; never call it while holding that lock.</remarks>
    public void Save()
    {
        lock (_saveGate)
        {
            OutboxPosition position;
            lock (_gate)
            {
                position = _pending;
                _removalsSinceSave = 0;
                _lastSaveTimestamp = _time.GetTimestamp();
            }

            if (position == _saved)
            {
                return;
            }

            OutboxCheckpoint.Write(_directory, position);
            _saved = position;

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
                File.Delete(OutboxSegments.PathOf(_directory, segment));
            }
        }
    }
}
