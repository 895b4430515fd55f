using StepAudio.Telephony.Analytics.Service.Ingestion;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Tests.Ingestion;

/// <summary>
/// The batching writer against a scripted store whose transactions the test opens and closes by hand, so what is
/// batched with what, and when each caller is released, is decided by the test and not by timing.
/// </summary>
public sealed class BatchingEventWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_handed_in_during_a_commit_share_the_next_transaction_and_each_caller_waits_for_that_commit()
    {
        var store = new ScriptedStore();
        await using var writer = new BatchingEventWriter(store.AppendAsync, maxBatch: 100);
        var first = writer.WriteAsync(Event("a"));
        var firstCommit = await store.NextTransactionAsync();
        var rest = new[] { "b", "c", "d", "e" }.Select(id => writer.WriteAsync(Event(id))).ToList();
        Assert.False(first.IsCompleted, "the first event's transaction has not committed yet");
        firstCommit.Commit();
        Assert.Equal(AppendResult.Stored, await first.WaitAsync(Patience));

        var second = await store.NextTransactionAsync();
        Assert.Equal(["b", "c", "d", "e"], second.CallIds);
        Assert.All(rest, t => Assert.False(t.IsCompleted, "acknowledged before its batch committed"));
        second.Commit(duplicateCallIds: ["c"]);
        Assert.Equal([AppendResult.Stored, AppendResult.Duplicate, AppendResult.Stored, AppendResult.Stored], await Task.WhenAll(rest).WaitAsync(Patience));
        Assert.Equal(2, writer.Batches);
    }

    [Fact]
    public async Task A_failing_batch_is_written_again_one_event_at_a_time_so_only_the_poison_event_fails()
    {
        var store = new ScriptedStore();
        await using var writer = new BatchingEventWriter(store.AppendAsync, maxBatch: 100);
        var first = writer.WriteAsync(Event("a"));
        (await store.NextTransactionAsync()).Commit();
        await first.WaitAsync(Patience);

        // Queued while nothing is being written: one batch of four, which the store refuses as a whole.
        var blocker = writer.WriteAsync(Event("hold"));
        var holding = await store.NextTransactionAsync();
        var tasks = new[] { "b", "poison", "c", "d" }.ToDictionary(id => id, id => writer.WriteAsync(Event(id)));
        holding.Commit();
        await blocker.WaitAsync(Patience);

        var batch = await store.NextTransactionAsync();
        Assert.Equal(["b", "poison", "c", "d"], batch.CallIds);
        batch.Fail(new InvalidOperationException("value refused"));
        foreach (var id in new[] { "b", "poison", "c", "d" })
        {
            var single = await store.NextTransactionAsync();
            Assert.Equal([id], single.CallIds);
            if (id == "poison")
            {
                single.Fail(new InvalidOperationException("value refused"));
            }
            else
            {
                single.Commit();
            }
        }

        Assert.Equal("value refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => tasks["poison"].WaitAsync(Patience))).Message);
        foreach (var id in new[] { "b", "c", "d" })
        {
            Assert.Equal(AppendResult.Stored, await tasks[id].WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task No_transaction_holds_more_than_the_batch_size()
    {
        var store = new ScriptedStore();
        await using var writer = new BatchingEventWriter(store.AppendAsync, maxBatch: 2);
        var first = writer.WriteAsync(Event("a"));
        var holding = await store.NextTransactionAsync();
        var rest = Enumerable.Range(0, 5).Select(i => writer.WriteAsync(Event("n" + i))).ToList();
        holding.Commit();
        var sizes = new List<int>();
        while (sizes.Sum() < 5)
        {
            var next = await store.NextTransactionAsync();
            sizes.Add(next.CallIds.Count);
            next.Commit();
        }

        await Task.WhenAll([first, .. rest]).WaitAsync(Patience);
        Assert.Equal([2, 2, 1], sizes);
    }

    [Fact]
    public async Task A_database_outage_fails_every_caller_of_the_batch_with_the_store_error_so_each_message_stays_on_the_queue()
    {
        var store = new ScriptedStore();
        await using var writer = new BatchingEventWriter(store.AppendAsync, maxBatch: 100);
        var first = writer.WriteAsync(Event("a"));
        var holding = await store.NextTransactionAsync();
        var rest = new[] { "b", "c" }.Select(id => writer.WriteAsync(Event(id))).ToList();
        holding.Fail(new StoreUnavailableException("down"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => first.WaitAsync(Patience));
        for (var i = 0; i < 3; i++)
        {
            // The batch of two, then each of them alone: the database is down for all of them.
            (await store.NextTransactionAsync()).Fail(new StoreUnavailableException("down"));
        }

        foreach (var task in rest)
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => task.WaitAsync(Patience));
        }
    }

    private static StoredEvent Event(string callId) =>
        new(Guid.NewGuid(), callId, 1, "CallStarted", DateTimeOffset.UnixEpoch, "{}");

    /// <summary>A store whose every transaction waits until the test commits or fails it.</summary>
    private sealed class ScriptedStore
    {
        private readonly System.Threading.Channels.Channel<Transaction> _opened = System.Threading.Channels.Channel.CreateUnbounded<Transaction>();

        public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        {
            var transaction = new Transaction(events);
            _opened.Writer.TryWrite(transaction);
            return transaction.Outcome.Task;
        }

        public async Task<Transaction> NextTransactionAsync() => await _opened.Reader.ReadAsync().AsTask().WaitAsync(Patience);
    }

    private sealed class Transaction(IReadOnlyList<StoredEvent> events)
    {
        public TaskCompletionSource<IReadOnlyList<AppendResult>> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> CallIds { get; } = [.. events.Select(e => e.CallId)];

        public void Commit(params string[] duplicateCallIds) =>
            Outcome.SetResult([.. CallIds.Select(id => duplicateCallIds.Contains(id) ? AppendResult.Duplicate : AppendResult.Stored)]);

        public void Fail(Exception exception) => Outcome.SetException(exception);
    }
}
