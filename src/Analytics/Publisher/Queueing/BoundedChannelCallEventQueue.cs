using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Queueing;

/// <summary>In-memory queue: events are lost if the process dies (the durable spool replaces this later).</summary>
internal sealed class BoundedChannelCallEventQueue : ICallEventQueue
{
    private readonly Channel<ICallEvent> _channel;

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

    public int Count => _channel.Reader.Count;

    public bool TryEnqueue(ICallEvent callEvent) => _channel.Writer.TryWrite(callEvent);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryPeek([MaybeNullWhen(false)] out ICallEvent callEvent) => _channel.Reader.TryPeek(out callEvent);

    public void RemoveHead()
    {
        if (!_channel.Reader.TryRead(out _))
        {
            throw new InvalidOperationException("RemoveHead called on an empty queue.");
        }
    }
}
