using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Queueing;

/// <summary>
/// The buffer between the call path and the delivery loop. Peek-then-remove lets the loop retry the head
/// events until the broker confirms them, which is also the contract the durable on-disk spool keeps.
/// Single reader (the delivery loop), many writers.
/// </summary>
internal interface ICallEventQueue
{
    /// <summary>Events accepted and not yet removed, including the ones being delivered.</summary>
    int Count { get; }

    /// <summary>Adds an event without waiting; <see langword="false"/> when full.</summary>
    bool TryEnqueue(ICallEvent callEvent);

    /// <summary>Completes when an event is available (true) or the queue is closed (false).</summary>
    ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken);

    /// <summary>The oldest event, left in the queue until <see cref="RemoveHead()"/>.</summary>
    bool TryPeek([MaybeNullWhen(false)] out ICallEvent callEvent);

    /// <summary>Removes the event last returned by <see cref="TryPeek"/> once it is delivered.</summary>
    void RemoveHead();

    /// <summary>
    /// Appends up to <paramref name="max"/> of the oldest events, in queue order, to <paramref name="window"/>
    /// without removing them; returns how many were added. Calling it again before
    /// <see cref="RemoveHead(int)"/> returns the same events.
    /// </summary>
    /// <remarks>
    /// The default exposes only the head, so a queue that cannot look further still works, one event per window.
    /// </remarks>
    int PeekBatch(List<ICallEvent> window, int max)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (!TryPeek(out var head))
        {
            return 0;
        }

        window.Add(head);
        return 1;
    }

    /// <summary>Removes the <paramref name="count"/> oldest events, all of them confirmed by the broker.</summary>
    void RemoveHead(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            RemoveHead();
        }
    }
}
