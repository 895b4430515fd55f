namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>Refuses, at start, outbox options the disk format or the queue cannot work with.</summary>
internal static class OutboxOptionsGuard
{
    /// <summary>
    /// Throws when a segment is under 1 KiB or beyond what a record offset (32-bit) can address, when the disk
    /// budget is smaller than one segment, or when the fsync interval or warning ratio is out of range.
    /// </summary>
    public static void ThrowIfUnusable(OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentBytes, int.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, options.SegmentBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FlushToDiskInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.WarnAtRatio, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.WarnAtRatio, 1);
    }
}
