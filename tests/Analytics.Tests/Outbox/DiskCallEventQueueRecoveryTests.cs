using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Outbox;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

[Collection(OutboxTestGroup.Name)]
public sealed class DiskCallEventQueueRecoveryTests
{
    [Fact]
    public void A_crash_image_replays_from_the_checkpoint_and_loses_nothing()
    {
        using var live = new TempDirectory();
        using var crashed = new TempDirectory();
        var events = Speeches("call-crash", 600);
        using var queue = Open(Options(live.Path, segmentBytes: 16 * 1024));
        EnqueueAll(queue, events);
        Assert.Equal(300, Take(queue, 300).Count);

        // Not disposed: no final checkpoint, no final fsync; only what the kernel already has.
        CopyCrashImage(live.Path, crashed.Path);
        using var recovered = Open(Options(crashed.Path, segmentBytes: 16 * 1024));
        var replayed = Take(recovered);

        Assert.Equal(replayed.Count, recovered.RecoveredAtStart);
        Assert.InRange(replayed.Count, 300, 599); // the checkpoint moved, and never past an undelivered event
        Assert.Equal(events.Skip(600 - replayed.Count), replayed);
    }

    [Fact]
    public void A_torn_tail_is_truncated_and_logged_and_appending_continues_after_it()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-torn", 3);
        using (var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            EnqueueAll(queue, events);
        }

        var segment = Assert.Single(SegmentFiles(folder.Path));
        var intactLength = new FileInfo(segment).Length;
        var firstRecord = File.ReadAllBytes(segment).AsSpan(0, 40).ToArray();
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(firstRecord); // the start of a record whose write was cut short
        }

        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var reopened = Open(Options(folder.Path, segmentBytes: 64 * 1024), loggers);

        Assert.Equal(intactLength, new FileInfo(segment).Length);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("torn tail", StringComparison.Ordinal));
        var more = Speech("call-torn", 4);
        Assert.True(reopened.TryEnqueue(more));
        Assert.Equal([.. events, more], Take(reopened));
    }

    [Fact]
    public void A_damaged_record_in_the_middle_is_skipped_counted_and_logged_and_the_rest_delivered()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-corrupt", 10);
        using (var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            EnqueueAll(queue, events);
        }

        var segment = Assert.Single(SegmentFiles(folder.Path));
        var bytes = File.ReadAllBytes(segment);
        var fifth = RecordOffsets(bytes)[4];
        bytes[fifth + 12 + 20] ^= 0x55; // inside the JSON: the CRC no longer matches
        File.WriteAllBytes(segment, bytes);

        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var corrupt = 0L;
        using var listener = Listen("stepaudio.outbox.corrupt_records", v => corrupt += v);
        using var reopened = Open(Options(folder.Path, segmentBytes: 64 * 1024), loggers);
        listener.RecordObservableInstruments();

        Assert.Equal(1, corrupt);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("damaged", StringComparison.Ordinal));
        Assert.Equal(9, reopened.RecoveredAtStart);
        Assert.Equal(events.Where((_, i) => i != 4), Take(reopened));
    }

    [Fact]
    public void A_damaged_checkpoint_replays_from_the_oldest_segment_instead_of_skipping()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-checkpoint", 10);
        using (var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            EnqueueAll(queue, events);
            Assert.Equal(10, Take(queue).Count);
        }

        using (var intact = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            Assert.Equal(0, intact.RecoveredAtStart);
        }

        var checkpoint = Path.Combine(folder.Path, OutboxCheckpoint.FileName);
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[12] ^= 0x01;
        File.WriteAllBytes(checkpoint, bytes);

        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var reopened = Open(Options(folder.Path, segmentBytes: 64 * 1024), loggers);
        Assert.Equal(events, Take(reopened));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_checkpoint_replays_everything_still_on_disk()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-nocheckpoint", 5);
        using (var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            EnqueueAll(queue, events);
            Assert.Equal(2, Take(queue, 2).Count);
        }

        File.Delete(Path.Combine(folder.Path, OutboxCheckpoint.FileName));
        using var reopened = Open(Options(folder.Path, segmentBytes: 64 * 1024));
        Assert.Equal(events, Take(reopened));
    }

    [Fact]
    public void An_unknown_event_type_on_disk_is_skipped_and_counted_without_stopping_delivery()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-unknown", 3);
        using (var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024)))
        {
            EnqueueAll(queue, events.Take(2));
        }

        // A well-framed record from some future gateway version whose type this build does not know.
        var segment = Assert.Single(SegmentFiles(folder.Path));
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(Record("CallMoodSwung", "{}"u8));
        }

        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var corrupt = 0L;
        using var listener = Listen("stepaudio.outbox.corrupt_records", v => corrupt += v);
        using var reopened = Open(Options(folder.Path, segmentBytes: 64 * 1024), loggers);
        Assert.Equal(3, reopened.RecoveredAtStart);
        Assert.True(reopened.TryEnqueue(events[2]));

        Assert.Equal(events, Take(reopened));
        Assert.Equal(1, corrupt);
        Assert.Contains(logs.Entries, e => e.Message.Contains("CallMoodSwung", StringComparison.Ordinal));
    }

    /// <summary>Frames a payload by the documented format, independently of the outbox's writer.</summary>
    private static byte[] Record(string typeName, ReadOnlySpan<byte> json)
    {
        var name = Encoding.UTF8.GetBytes(typeName);
        var payload = new byte[1 + name.Length + json.Length];
        payload[0] = (byte)name.Length;
        name.CopyTo(payload, 1);
        json.CopyTo(payload.AsSpan(1 + name.Length));
        var record = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x5341_4F42);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32.Compute(payload));
        payload.CopyTo(record, 12);
        return record;
    }

    private static MeterListener Listen(string instrumentName, Action<long> onMeasurement)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => onMeasurement(value));
        listener.Start();
        return listener;
    }
}
