namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// The undelivered records of the outbox, oldest first, and their bytes (framing included): what
/// <see cref="DiskCallEventQueue"/> counts against <see cref="OutboxOptions.MaxBytes"/> and where its checkpoint
/// moves to. Not thread-safe: every member but <see cref="HeldBytes"/> is called under the queue's lock.
/// </summary>
internal sealed class OutboxIndex
{
    private readonly Queue<OutboxRecordRef> _records;
    private long _heldBytes;

    /// <param name="records">The records recovery found, oldest first; owned by the index from now on.</param>
    /// <param name="heldBytes">Their total length.</param>
    public OutboxIndex(Queue<OutboxRecordRef> records, long heldBytes)
    {
        _records = records;
        _heldBytes = heldBytes;
    }

    public int Count => _records.Count;

    /// <summary>Bytes of the records held; safe to read without the lock (it may be a moment old).</summary>
    public long HeldBytes => Volatile.Read(ref _heldBytes);

    /// <summary>Whether a record of <paramref name="length"/> bytes still fits under <paramref name="maxBytes"/>.</summary>
    public bool Fits(int length, long maxBytes) => _heldBytes + length <= maxBytes;

    public void Add(OutboxRecordRef record)
    {
        _records.Enqueue(record);
        Volatile.Write(ref _heldBytes, _heldBytes + record.Length);
    }

    public bool TryPeekHead(out OutboxRecordRef head) => _records.TryPeek(out head);

    /// <summary>Drops the oldest record; throws when there is none (a reader removing what it never peeked).</summary>
    public OutboxRecordRef RemoveHead()
    {
        if (!_records.TryDequeue(out var removed))
        {
            throw new InvalidOperationException("RemoveHead called on an empty queue.");
        }

        Volatile.Write(ref _heldBytes, _heldBytes - removed.Length);
        return removed;
    }

    /// <summary>Appends to <paramref name="refs"/> up to <paramref name="max"/> records that follow the head, in order.</summary>
    public void CopyAfterHead(List<OutboxRecordRef> refs, int max)
    {
        var skipHead = true;
        foreach (var record in _records)
        {
            if (skipHead)
            {
                skipHead = false;
                continue;
            }

            if (refs.Count == max)
            {
                break;
            }

            refs.Add(record);
        }
    }
}
