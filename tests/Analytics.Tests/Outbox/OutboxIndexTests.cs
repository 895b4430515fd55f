using StepAudio.Telephony.Analytics.Outbox;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

public sealed class OutboxIndexTests
{
    [Fact]
    public void Records_leave_oldest_first_and_the_held_bytes_follow_them()
    {
        var recovered = new Queue<OutboxRecordRef>([new OutboxRecordRef(0, 0, 100)]);
        var index = new OutboxIndex(recovered, 100);

        index.Add(new OutboxRecordRef(0, 100, 40));
        index.Add(new OutboxRecordRef(1, 0, 60));

        Assert.Equal(3, index.Count);
        Assert.Equal(200, index.HeldBytes);
        Assert.Equal(new OutboxRecordRef(0, 0, 100), index.RemoveHead());
        Assert.Equal(100, index.HeldBytes);
        Assert.True(index.TryPeekHead(out var head));
        Assert.Equal(new OutboxRecordRef(0, 100, 40), head);
    }

    [Fact]
    public void A_record_fits_only_while_the_total_stays_within_the_bound()
    {
        var index = new OutboxIndex(new Queue<OutboxRecordRef>(), 0);
        index.Add(new OutboxRecordRef(0, 0, 90));

        Assert.True(index.Fits(10, 100));
        Assert.False(index.Fits(11, 100));
    }

    [Fact]
    public void The_records_after_the_head_are_copied_in_order_up_to_the_limit()
    {
        var index = new OutboxIndex(new Queue<OutboxRecordRef>(), 0);
        for (var i = 0; i < 5; i++)
        {
            index.Add(new OutboxRecordRef(0, i * 10, 10));
        }

        var refs = new List<OutboxRecordRef>();
        index.CopyAfterHead(refs, 3);

        Assert.Equal([10, 20, 30], refs.Select(r => r.Offset));
        Assert.Equal(5, index.Count);
    }

    [Fact]
    public void Removing_from_an_empty_index_throws()
    {
        var index = new OutboxIndex(new Queue<OutboxRecordRef>(), 0);

        Assert.False(index.TryPeekHead(out _));
        Assert.Throws<InvalidOperationException>(() => index.RemoveHead());
    }
}
