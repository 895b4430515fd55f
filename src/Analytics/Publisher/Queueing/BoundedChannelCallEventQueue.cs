using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Queueing;

/// <summary>In-memory queue: events are lost if the process dies (used when the disk outbox is disabled).</summary>
/// <remarks>
/// A channel can only show its head, so a batch peek moves events into <see cref="_peeked"/>, which only the
/// single reader touches; they stay counted until removed. The channel's bound therefore applies to events
/// not yet peeked: at most one delivery window more than <c>capacity</c> is held in all.
/// </remarks>
internal sealed class BoundedChannelCallEventQueue : ICallEventQueue
{
    private readonly Channel<ICallEvent> _channel;
    private readonly Queue<ICallEvent> _peeked = new();
    private int _peekedCount;

    public BoundedChannelCallEventQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _channel = Channel.CreateBounded<ICallEvent>(new BoundedChannelOptions(capacity)
        {
            // Wait mode makes TryWrite fail when full instead of dropping queued events.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public int Count => _channel.Reader.Count + Volatile.Read(ref _peekedCount);

    public bool TryEnqueue(ICallEvent callEvent) => _channel.Writer.TryWrite(callEvent);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _peeked.Count > 0 ? ValueTask.FromResult(true) : _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryPeek([MaybeNullWhen(false)] out ICallEvent callEvent) =>
        _peeked.TryPeek(out callEvent) || _channel.Reader.TryPeek(out callEvent);

    public void RemoveHead()
    {
        if (!TryRemoveOne())
        {
            throw new InvalidOperationException("RemoveHead called on an empty queue.");
        }
    }

    public int PeekBatch(List<ICallEvent> window, int max)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        while (_peeked.Count < max && _channel.Reader.TryRead(out var next))
        {
            _peeked.Enqueue(next);
            Volatile.Write(ref _peekedCount, _peeked.Count);
        }

        var added = 0;
        foreach (var callEvent in _peeked)
        {
            if (added == max)
            {
                break;
            }

            window.Add(callEvent);
            added++;
        }

        return added;
    }

    public void RemoveHead(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            RemoveHead();
        }
    }

    private bool TryRemoveOne()
    {
        if (_peeked.TryDequeue(out _))
        {
            Volatile.Write(ref _peekedCount, _peeked.Count);
            return true;
        }

        return _channel.Reader.TryRead(out _);
    }
}
