using StepAudio.Telephony.Analytics.Contracts;

namespace StepAudio.Telephony.Analytics.Publishing;

/// <summary>Hands call events to the analytics pipeline from the call path.</summary>
public interface ICallEventPublisher
{
    /// <summary>
    /// Queues <paramref name="callEvent"/> for delivery and returns at once; it never waits for the broker.
    /// Events of one publisher are delivered in the order they were accepted.
    /// </summary>
    /// <returns><see langword="false"/> only when the queue refuses it (full, or the event cannot be stored); the rejection is counted and logged.</returns>
    bool TryPublish(ICallEvent callEvent);
}
