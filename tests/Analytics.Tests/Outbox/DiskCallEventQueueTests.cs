using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

[Collection(OutboxTestGroup.Name)]
public sealed class DiskCallEventQueueTests
{
    [Fact]
    public void Events_come_back_in_order_across_segment_rolls_and_a_clean_restart()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-order", 60);
        List<ICallEvent> first;
        using (var queue = Open(Options(folder.Path)))
        {
            EnqueueAll(queue, events);
            Assert.True(SegmentFiles(folder.Path).Length > 3, "1 KiB segments must have rolled several times");
            first = Take(queue, 17);
        }

        using var reopened = Open(Options(folder.Path));
        Assert.Equal(43, reopened.RecoveredAtStart);
        var rest = Take(reopened);

        Assert.Equal(events, [.. first, .. rest]);
    }

    [Fact]
    public void A_batch_peek_returns_the_head_window_in_order_across_segments_and_removal_by_count_advances_it()
    {
        using var folder = new TempDirectory();
        var events = Speeches("call-batch", 30);
        List<ICallEvent> delivered = [];
        using (var queue = Open(Options(folder.Path)))
        {
            EnqueueAll(queue, events);
            var window = new List<ICallEvent>();
            Assert.Equal(8, queue.PeekBatch(window, 8));
            Assert.Equal(events.Take(8), window);

            // Peeking again without removing returns the same window: the delivery loop retries unconfirmed events.
            var again = new List<ICallEvent>();
            queue.PeekBatch(again, 8);
            Assert.Equal(window, again);

            queue.RemoveHead(8);
            delivered.AddRange(window);
            Assert.Equal(22, queue.Count);
            window.Clear();
            Assert.Equal(5, queue.PeekBatch(window, 5));
            queue.RemoveHead(5);
            delivered.AddRange(window);
        }

        using var reopened = Open(Options(folder.Path));
        var rest = new List<ICallEvent>();
        Assert.Equal(17, reopened.PeekBatch(rest, 64));
        Assert.Equal(events, [.. delivered, .. rest]);
    }

    [Fact]
    public void Every_contract_of_a_call_round_trips_through_the_disk()
    {
        using var folder = new TempDirectory();
        var events = CallEvents.OneCall("call-types", speechSegments: 2);
        using (var queue = Open(Options(folder.Path)))
        {
            EnqueueAll(queue, events);
        }

        using var reopened = Open(Options(folder.Path));
        Assert.Equal(events, Take(reopened));
    }

    [Fact]
    public void Count_and_HeldBytes_match_what_is_on_disk_and_shrink_with_each_removal()
    {
        using var folder = new TempDirectory();
        using var queue = Open(Options(folder.Path, segmentBytes: 4096));
        EnqueueAll(queue, Speeches("call-bytes", 25));

        var onDisk = SegmentFiles(folder.Path).Sum(f => new FileInfo(f).Length);
        Assert.Equal(25, queue.Count);
        Assert.Equal(onDisk, queue.HeldBytes);

        Assert.True(queue.TryPeek(out _));
        var firstRecord = RecordOffsets(File.ReadAllBytes(SegmentFiles(folder.Path)[0]))[1];
        queue.RemoveHead();
        Assert.Equal(24, queue.Count);
        Assert.Equal(onDisk - firstRecord, queue.HeldBytes);
    }

    [Fact]
    public void Delivered_segments_are_deleted_once_the_checkpoint_has_passed_them()
    {
        using var folder = new TempDirectory();
        using (var queue = Open(Options(folder.Path)))
        {
            EnqueueAll(queue, Speeches("call-gc", 40));
            Assert.True(SegmentFiles(folder.Path).Length > 3);
            Assert.Equal(40, Take(queue).Count);
        }

        Assert.Single(SegmentFiles(folder.Path));
        using var reopened = Open(Options(folder.Path));
        Assert.Equal(0, reopened.RecoveredAtStart);
        Assert.Equal(0, reopened.HeldBytes);
    }

    [Fact]
    public async Task WaitToReadAsync_completes_on_the_next_append_and_returns_false_after_dispose()
    {
        using var folder = new TempDirectory();
        var queue = Open(Options(folder.Path));
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        Assert.True(queue.TryEnqueue(Speech("call-wait", 1)));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(queue.TryPeek(out _));
        queue.RemoveHead();

        var closing = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        queue.Dispose();
        Assert.False(await closing.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(queue.TryEnqueue(Speech("call-wait", 2)));
    }

    [Fact]
    public void An_event_JSON_cannot_carry_is_refused_without_throwing_and_the_next_one_is_accepted()
    {
        using var folder = new TempDirectory();
        using var queue = Open(Options(folder.Path));
        var unrepresentable = Speech("call-nan", 1) with { DurationSeconds = double.NaN };
        var next = Speech("call-nan", 2);

        Assert.False(queue.TryEnqueue(unrepresentable));
        Assert.True(queue.TryEnqueue(next));
        Assert.Equal([next], Take(queue));
    }

    [Fact]
    public void A_missing_directory_is_created()
    {
        using var folder = new TempDirectory();
        var nested = Path.Combine(folder.Path, "data", "outbox");
        using var queue = Open(Options(nested));
        Assert.True(queue.TryEnqueue(Speech("call-dir", 1)));
        Assert.Single(SegmentFiles(nested));
    }

    [Fact]
    public void An_unusable_directory_fails_at_start_naming_it()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("not-a-folder"), "x");
        var path = Path.Combine(folder.Path, "not-a-folder", "outbox");

        var error = Assert.Throws<InvalidOperationException>(() => Open(Options(path)));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_outbox_on_the_same_directory_is_refused_while_the_first_is_open()
    {
        using var folder = new TempDirectory();
        using var first = Open(Options(folder.Path));

        var error = Assert.Throws<InvalidOperationException>(() => Open(Options(folder.Path)));
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crc32_matches_the_IEEE_check_value()
    {
        // The standard check value of CRC-32/ISO-HDLC for the ASCII digits 1 to 9.
        Assert.Equal(0xCBF4_3926u, StepAudio.Telephony.Analytics.Outbox.Crc32.Compute("123456789"u8));
    }
}
