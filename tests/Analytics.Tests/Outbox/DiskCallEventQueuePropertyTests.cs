using System.Collections.Concurrent;
using CsCheck;
using StepAudio.Telephony.Analytics.Contracts;
using static StepAudio.Telephony.Analytics.Tests.Outbox.OutboxTestSupport;

namespace StepAudio.Telephony.Analytics.Tests.Outbox;

[Collection(OutboxTestGroup.Name)]
public sealed class DiskCallEventQueuePropertyTests
{
    private enum Op
    {
        Enqueue,
        Peek,
        Remove,
        Reopen,
    }

    [Fact]
    public void Any_interleaving_of_enqueue_peek_remove_and_reopen_behaves_like_an_in_memory_queue()
    {
        var ops = Gen.Frequency(
            (6, Gen.Const(Op.Enqueue)), (3, Gen.Const(Op.Peek)), (4, Gen.Const(Op.Remove)), (1, Gen.Const(Op.Reopen)));
        ops.Array[1, 80].Sample(Check, iter: 60, threads: 1);
    }

    [Fact]
    public async Task Eight_writers_and_one_reader_see_every_event_once_in_per_writer_order()
    {
        const int Writers = 8;
        const int PerWriter = 1000;
        using var folder = new TempDirectory();
        using var queue = Open(Options(folder.Path, segmentBytes: 64 * 1024, maxBytes: 64 * 1024 * 1024));
        var received = new ConcurrentQueue<ICallEvent>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var reader = Task.Run(async () =>
        {
            while (received.Count < Writers * PerWriter && await queue.WaitToReadAsync(stop.Token))
            {
                while (queue.TryPeek(out var head))
                {
                    received.Enqueue(head);
                    queue.RemoveHead();
                }
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 1; i <= PerWriter; i++)
            {
                Assert.True(queue.TryEnqueue(Speech($"writer-{w}", i)));
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await reader;

        Assert.Equal(Writers * PerWriter, received.Count);
        Assert.Equal(received.Count, received.Select(e => e.EventId).Distinct().Count());
        foreach (var perWriter in received.GroupBy(e => e.CallId))
        {
            Assert.Equal(Enumerable.Range(1, PerWriter).Select(i => (long)i), perWriter.Select(e => e.Sequence));
        }

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.HeldBytes);
    }

    private static void Check(Op[] script)
    {
        using var folder = new TempDirectory();
        var reference = new Queue<ICallEvent>();
        var queue = Open(Options(folder.Path, segmentBytes: 1024));
        try
        {
            var sequence = 0;
            foreach (var op in script)
            {
                switch (op)
                {
                    case Op.Enqueue:
                        var callEvent = Speech("call-property", ++sequence);
                        Assert.True(queue.TryEnqueue(callEvent));
                        reference.Enqueue(callEvent);
                        break;
                    case Op.Peek:
                        Assert.Equal(reference.TryPeek(out var expected), queue.TryPeek(out var actual));
                        Assert.Equal(expected, actual);
                        break;
                    case Op.Remove when reference.Count > 0:
                        Assert.True(queue.TryPeek(out _));
                        queue.RemoveHead();
                        reference.Dequeue();
                        break;
                    case Op.Remove:
                        Assert.Throws<InvalidOperationException>(queue.RemoveHead);
                        break;
                    case Op.Reopen:
                        queue.Dispose();
                        queue = Open(Options(folder.Path, segmentBytes: 1024));
                        Assert.Equal(reference.Count, queue.RecoveredAtStart);
                        break;
                }

                Assert.Equal(reference.Count, queue.Count);
            }

            Assert.Equal(reference, Take(queue));
        }
        finally
        {
            queue.Dispose();
        }
    }
}
