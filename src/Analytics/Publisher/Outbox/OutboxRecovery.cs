using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Rebuilds the outbox's state from disk at start: which records are still undelivered, where the writer
/// continues, what damage a crash or the disk left behind.
/// </summary>
internal sealed class OutboxRecovery
{
    private OutboxRecovery(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>Segment indices on disk, oldest first (the writer's segment last).</summary>
    public List<long> Segments { get; } = [];

    /// <summary>Undelivered records, oldest first.</summary>
    public Queue<OutboxRecordRef> Records { get; } = new();

    public long HeldBytes { get; private set; }

    /// <summary>Damaged regions skipped; the events in them are lost.</summary>
    public int CorruptRegions { get; private set; }

    /// <summary>Where delivery stands: the first undelivered record, or the write end when none is left.</summary>
    public OutboxPosition Checkpoint { get; private set; }

    /// <summary>Valid length of the last segment, where the writer appends.</summary>
    public long LastSegmentLength { get; private set; }

    public static OutboxRecovery Run(string directory, ILogger logger)
    {
        var recovery = new OutboxRecovery(directory);
        recovery.Scan(logger);
        return recovery;
    }

    private void Scan(ILogger logger)
    {
        var segments = OutboxSegments.List(Directory);
        var start = ChooseStart(segments, logger);

        foreach (var index in segments)
        {
            if (index < start.Segment)
            {
                // Delivered before the crash; the checkpoint had passed it but the delete had not happened yet.
                File.Delete(OutboxSegments.PathOf(Directory, index));
                continue;
            }

            Segments.Add(index);
            var isLast = index == segments[^1];
            var from = index == start.Segment ? start.Offset : 0;
            LastSegmentLength = ScanSegment(index, (int)from, isLast, logger);
        }

        Checkpoint = Records.Count > 0
            ? new OutboxPosition(Records.Peek().Segment, Records.Peek().Offset)
            : Segments.Count > 0 ? new OutboxPosition(Segments[^1], LastSegmentLength) : new OutboxPosition(0, 0);
    }

    private OutboxPosition ChooseStart(List<long> segments, ILogger logger)
    {
        var oldest = new OutboxPosition(segments.Count > 0 ? segments[0] : 0, 0);
        var valid = OutboxCheckpoint.TryRead(Directory, out var checkpoint, out var existed);
        if (!existed)
        {
            return oldest;
        }

        // The checkpoint must name a segment on disk and an offset inside it; anything else means the file was
        // damaged or the segments were changed behind the outbox's back. Re-delivering is safe, skipping is not.
        if (valid
            && segments.BinarySearch(checkpoint.Segment) >= 0
            && checkpoint.Offset <= new FileInfo(OutboxSegments.PathOf(Directory, checkpoint.Segment)).Length)
        {
            return checkpoint;
        }

        OutboxLog.CheckpointInvalid(logger, OutboxCheckpoint.PathIn(Directory));
        return oldest;
    }

    /// <summary>Collects the intact records of one segment from <paramref name="from"/>; returns its valid length.</summary>
    private long ScanSegment(long index, int from, bool isLast, ILogger logger)
    {
        var path = OutboxSegments.PathOf(Directory, index);
        var data = File.ReadAllBytes(path);
        var offset = from;
        while (offset < data.Length)
        {
            if (OutboxRecord.TryValidate(data.AsSpan(offset), out var length))
            {
                Records.Enqueue(new OutboxRecordRef(index, offset, length));
                HeldBytes += length;
                offset += length;
                continue;
            }

            var next = OutboxRecord.FindNext(data, offset + 1);
            if (next < 0 && isLast)
            {
                // Nothing intact follows in the segment the writer was appending to: the last write was cut short.
                // It was never acknowledged to the caller, so dropping it loses nothing that was accepted.
                OutboxLog.TornTailTruncated(logger, path, data.Length - offset, offset);
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.SetLength(handle, offset);
                return offset;
            }

            var end = next < 0 ? data.Length : next;
            CorruptRegions++;
            OutboxLog.CorruptRegionSkipped(logger, path, end - offset, offset);
            offset = end;
        }

        return data.Length;
    }
}
