using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Queueing;
using StepAudio.Telephony.Analytics.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Tests.Queueing;

public sealed class BoundedChannelCallEventQueueTests
{
    [Fact]
    public void PeekBatch_returns_the_oldest_events_in_order_and_again_until_they_are_removed()
    {
        var queue = new BoundedChannelCallEventQueue(capacity: 10);
        var events = CallEvents.OneCall("call-batch", speechSegments: 3); // 5 events
        foreach (var callEvent in events)
        {
            Assert.True(queue.TryEnqueue(callEvent));
        }

        var window = new List<ICallEvent>();
        Assert.Equal(3, queue.PeekBatch(window, 3));
        Assert.Equal(events.Take(3), window);
        Assert.Equal(5, queue.Count);

        window.Clear();
        Assert.Equal(3, queue.PeekBatch(window, 3));
        Assert.Equal(events.Take(3), window);

        queue.RemoveHead(2);
        Assert.Equal(3, queue.Count);
        Assert.True(queue.TryPeek(out var head));
        Assert.Same(events[2], head);

        window.Clear();
        Assert.Equal(3, queue.PeekBatch(window, 10));
        Assert.Equal(events.Skip(2), window);
        queue.RemoveHead(3);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryPeek(out _));
    }

    [Fact]
    public void The_default_PeekBatch_of_a_head_only_queue_yields_windows_of_one()
    {
        ICallEventQueue queue = new HeadOnlyQueue();
        var events = CallEvents.OneCall("call-head-only");
        foreach (var callEvent in events)
        {
            queue.TryEnqueue(callEvent);
        }

        var window = new List<ICallEvent>();
        Assert.Equal(1, queue.PeekBatch(window, 64));
        Assert.Same(events[0], Assert.Single(window));
        queue.RemoveHead(1);
        Assert.Equal(events.Count - 1, queue.Count);
    }

    /// <summary>Implements only the required members, as a queue that cannot look past its head would.</summary>
    private sealed class HeadOnlyQueue : ICallEventQueue
    {
        private readonly Queue<ICallEvent> _events = new();

        public int Count => _events.Count;

        public bool TryEnqueue(ICallEvent callEvent)
        {
            _events.Enqueue(callEvent);
            return true;
        }

        public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public bool TryPeek(out ICallEvent callEvent) => _events.TryPeek(out callEvent!);

        public void RemoveHead() => _events.Dequeue();
    }
}
