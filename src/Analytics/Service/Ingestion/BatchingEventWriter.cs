using System.Threading.Channels;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Ingestion;

/// <summary>
/// Groups the events that consumers hand in concurrently into one transaction each, so that one commit (one fsync,
/// one set of round trips) serves many messages. Each caller's task completes only after the commit of the batch
/// that holds its event, and the consumer acknowledges the message only then: nothing acknowledged is uncommitted.
/// No timer: a batch is whatever queued up while the previous one was being written, so a lone event is written
/// at once and a busy queue fills batches up to <see cref="StoreOptions.WriteBatchSize"/>.
/// When a batch fails, its events are written again one per transaction, so one event the database refuses (a
/// poison message) fails alone and the others are stored; the store's event-id key makes a second attempt of an
/// event that was in fact committed a duplicate, never a second copy.
/// </summary>
internal sealed class BatchingEventWriter : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<StoredEvent>, CancellationToken, Task<IReadOnlyList<AppendResult>>> _append;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _batches;

    /// <param name="append">Writes events in one transaction, returning what was done with each (EventStore.AppendBatchAsync).</param>
    /// <param name="maxBatch">The most events in one transaction.</param>
    public BatchingEventWriter(Func<IReadOnlyList<StoredEvent>, CancellationToken, Task<IReadOnlyList<AppendResult>>> append, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _append = append;
        _maxBatch = maxBatch;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Transactions committed or failed so far (tests and the benchmark read it).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Completes once <paramref name="storedEvent"/> is committed (or found stored already); throws what the store threw.</summary>
    public async Task<AppendResult> WriteAsync(StoredEvent storedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        var pending = new Pending(storedEvent, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // A caller that gives up (the consumer stopping) stops waiting; the write itself may still commit, and the
        // unacknowledged message's redelivery is then a duplicate.
        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        while (_queue.Reader.TryRead(out var left))
        {
            left.Result.TrySetException(new ObjectDisposedException(nameof(BatchingEventWriter)));
        }

        _stopping.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                await WriteAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetCanceled(_stopping.Token);
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var results = await AppendAsync(batch.Select(p => p.Event).ToList());
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception) when (batch.Count > 1 && !_stopping.IsCancellationRequested)
        {
            // Nothing of the batch was committed (one transaction). Isolate the event at fault: one by one.
            foreach (var pending in batch)
            {
                await WriteAsync([pending]);
            }
        }
        catch (Exception ex)
        {
            // One event alone (or stopping): its consumer gets the failure and its retry policy decides.
            batch[0].Result.TrySetException(ex);
            foreach (var pending in batch.Skip(1))
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    private async Task<IReadOnlyList<AppendResult>> AppendAsync(List<StoredEvent> events)
    {
        try
        {
            var results = await _append(events, _stopping.Token);
            if (results.Count != events.Count)
            {
                throw new InvalidOperationException($"the store answered {results.Count} results for {events.Count} events");
            }

            return results;
        }
        finally
        {
            Interlocked.Increment(ref _batches);
        }
    }

    private sealed record Pending(StoredEvent Event, TaskCompletionSource<AppendResult> Result);
}
