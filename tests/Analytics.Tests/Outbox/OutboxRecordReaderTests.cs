using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Outbox;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

public sealed class OutboxRecordReaderTests
{
    [Fact]
    public void Records_come_back_decoded_from_one_segment_and_the_next()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path);
        var first = writer.Append(Encode(Speech("call-read", 1)));
        var second = writer.Append(Encode(Speech("call-read", 2)));
        writer.Roll();
        var third = writer.Append(Encode(Speech("call-read", 3)));
        using var reader = new OutboxRecordReader(folder.Path, CallEventCodec.Default);

        Assert.Equal(new long[] { 1, 2, 3 }, new[] { first, second, third }.Select(r => ReadOk(reader, r).Sequence));
        Assert.Equal(1, third.Segment);
    }

    [Fact]
    public void A_record_the_read_ahead_caught_as_junk_is_read_again_once_overwritten()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path);
        var first = writer.Append(Encode(Speech("call-torn-write", 1)));
        var second = Encode(Speech("call-torn-write", 2));
        // A write that failed part-way leaves junk past the writer's position; the next append overwrites it.
        WriteAt(folder.Path, 0, writer.Position, Enumerable.Repeat((byte)0xEE, second.Length + 100).ToArray());
        using var reader = new OutboxRecordReader(folder.Path, CallEventCodec.Default);

        Assert.Equal(1, ReadOk(reader, first).Sequence); // the read-ahead now holds the junk after it
        var secondRef = writer.Append(second);

        Assert.Equal(2, ReadOk(reader, secondRef).Sequence);
    }

    [Fact]
    public void A_record_damaged_on_disk_is_refused_with_the_reason()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path);
        var record = writer.Append(Encode(Speech("call-damaged", 1)));
        WriteAt(folder.Path, 0, record.Offset + record.Length - 2, [(byte)'#']);
        using var reader = new OutboxRecordReader(folder.Path, CallEventCodec.Default);

        Assert.False(reader.TryRead(record, out var callEvent, out var error));
        Assert.Null(callEvent);
        Assert.Contains("CRC", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intact_record_of_an_unknown_type_is_refused_naming_the_type()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path);
        var name = Encoding.UTF8.GetBytes("NoSuchEvent");
        var bytes = new byte[OutboxRecord.HeaderLength + 1 + name.Length + 2];
        bytes[OutboxRecord.HeaderLength] = (byte)name.Length;
        name.CopyTo(bytes, OutboxRecord.HeaderLength + 1);
        "{}"u8.CopyTo(bytes.AsSpan(OutboxRecord.HeaderLength + 1 + name.Length));
        OutboxRecord.WriteHeader(bytes);
        var record = writer.Append(bytes);
        using var reader = new OutboxRecordReader(folder.Path, CallEventCodec.Default);

        Assert.False(reader.TryRead(record, out _, out var error));
        Assert.Equal("unknown event type 'NoSuchEvent'", error);
    }

    [Fact]
    public void A_batch_read_stops_at_the_first_damaged_record()
    {
        using var folder = new TempDirectory();
        using var writer = NewWriter(folder.Path);
        var records = Enumerable.Range(1, 4).Select(i => writer.Append(Encode(Speech("call-batch", i)))).ToList();
        WriteAt(folder.Path, 0, records[2].Offset + records[2].Length - 2, [(byte)'#']);
        using var reader = new OutboxRecordReader(folder.Path, CallEventCodec.Default);
        var window = new List<ICallEvent>();

        Assert.Equal(2, reader.ReadWhileIntact(records, window));
        Assert.Equal(new long[] { 1, 2 }, window.Select(e => e.Sequence));
    }

    internal static OutboxSegmentWriter NewWriter(string directory, long segmentBytes = 64 * 1024, TimeProvider? time = null) =>
        OutboxSegmentWriter.OpenAfter(OutboxRecovery.Run(directory, NullLogger.Instance), segmentBytes, time ?? TimeProvider.System);

    internal static byte[] Encode(ICallEvent callEvent) =>
        OutboxRecordEncoder.TryEncode(CallEventCodec.Default, callEvent, out _)!.WrittenSpan.ToArray();

    internal static void WriteAt(string directory, long segment, long offset, byte[] bytes)
    {
        using var handle = File.OpenHandle(OutboxSegments.PathOf(directory, segment), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, bytes, offset);
    }

    private static ICallEvent ReadOk(OutboxRecordReader reader, OutboxRecordRef record)
    {
        Assert.True(reader.TryRead(record, out var callEvent, out var error), error);
        return callEvent;
    }
}
