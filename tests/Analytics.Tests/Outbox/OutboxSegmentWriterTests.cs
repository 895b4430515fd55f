using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Outbox;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxRecordReaderTests;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

public sealed class OutboxSegmentWriterTests
{
    [Fact]
    public void Appends_lie_back_to_back_and_a_record_that_would_overflow_the_segment_asks_for_a_roll()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path, segmentBytes: 1024);
        var record = Encode(Speech("call-write", 1));
        var refs = new List<OutboxRecordRef>();
        while (!writer.MustRollFor(record.Length))
        {
            refs.Add(writer.Append(record));
        }

        Assert.Equal(Enumerable.Range(0, refs.Count).Select(i => i * record.Length), refs.Select(r => r.Offset));
        Assert.All(refs, r => Assert.Equal((0L, record.Length), (r.Segment, r.Length)));
        Assert.InRange(writer.Position + record.Length, 1025, 1024 + record.Length);
        Assert.Equal(writer.Position, new FileInfo(OutboxSegments.PathOf(folder.Path, 0)).Length);

        Assert.Equal(1, writer.Roll());
        Assert.Equal((1L, 0), (writer.Segment, writer.Position));
        Assert.False(writer.MustRollFor(4096)); // an empty segment takes any record
        Assert.Equal(new OutboxRecordRef(1, 0, record.Length), writer.Append(record));
        Assert.Equal(refs.Count * record.Length, new FileInfo(OutboxSegments.PathOf(folder.Path, 0)).Length);
    }

    [Fact]
    public void After_recovery_the_last_segment_is_continued_while_it_has_room_and_a_new_one_started_when_full()
    {
        using var folder = new TempDirectory();
        var record = Encode(Speech("call-reopen", 1));
        using (var first = NewWriter(folder.Path))
        {
            first.Append(record);
            first.Append(record);
        }

        var recovery = OutboxRecovery.Run(folder.Path, NullLogger.Instance);
        using (var continued = OutboxSegmentWriter.OpenAfter(recovery, 64 * 1024, TimeProvider.System))
        {
            Assert.Equal((0L, 2 * record.Length), (continued.Segment, continued.Position));
            Assert.Equal(new long[] { 0 }, recovery.Segments);
        }

        recovery = OutboxRecovery.Run(folder.Path, NullLogger.Instance);
        using var fresh = OutboxSegmentWriter.OpenAfter(recovery, segmentBytes: record.Length, TimeProvider.System);

        Assert.Equal((1L, 0), (fresh.Segment, fresh.Position));
        Assert.Equal(new long[] { 0, 1 }, recovery.Segments);
        Assert.True(File.Exists(OutboxSegments.PathOf(folder.Path, 1)));
    }

    [Fact]
    public void A_timed_fsync_is_due_only_after_an_append_and_once_per_interval()
    {
        using var folder = new TempDirectory();
        var time = new ManualTimeProvider();
        using var writer = NewWriter(folder.Path, time: time);
        var interval = TimeSpan.FromSeconds(1);
        time.Advance(interval);
        Assert.Null(writer.TakeDueFlush(interval)); // nothing appended

        writer.Append(Encode(Speech("call-fsync", 1)));
        Assert.NotNull(writer.TakeDueFlush(interval));
        Assert.Null(writer.TakeDueFlush(interval)); // taken: the caller owns that fsync

        writer.Append(Encode(Speech("call-fsync", 2)));
        time.Advance(interval / 2);
        Assert.Null(writer.TakeDueFlush(interval));
        time.Advance(interval / 2);
        Assert.NotNull(writer.TakeDueFlush(interval));
    }

    [Fact]
    public void A_handle_taken_for_fsync_and_closed_by_a_roll_meanwhile_is_ignored()
    {
        using var folder = new TempDirectory();
        var time = new ManualTimeProvider();
        using var writer = NewWriter(folder.Path, time: time);
        writer.Append(Encode(Speech("call-roll", 1)));
        time.Advance(TimeSpan.FromSeconds(1));
        var handle = writer.TakeDueFlush(TimeSpan.FromSeconds(1));
        Assert.NotNull(handle);

        writer.Roll();

        Assert.True(handle.IsClosed);
        OutboxSegmentWriter.FlushDetached(handle);
    }
}
