using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Queueing;

/// <summary>
/// The buffer between the call path and the delivery loop. Peek-then-remove lets the loop retry the head
/// event until the broker confirms it, which is also the contract a durable on-disk spool will keep.
/// Single reader (the delivery loop), many writers.
/// </summary>
internal interface ICallEventQueue
{
    /// <summary>Events accepted and not yet removed, including the one being delivered.</summary>
    int Count { get; }

    /// <summary>Adds an event without waiting; <see langword="false"/> when full.</summary>
    bool TryEnqueue(ICallEvent callEvent);

    /// <summary>Completes when an event is available (true) or the queue is closed (false).</summary>
    ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken);

    /// <summary>The oldest event, left in the queue until <see cref="RemoveHead"/>.</summary>
    bool TryPeek([MaybeNullWhen(false)] out ICallEvent callEvent);

    /// <summary>Removes the event last returned by <see cref="TryPeek"/> once it is delivered.</summary>
    void RemoveHead();
}
