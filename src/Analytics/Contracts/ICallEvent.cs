namespace StepAudio.Telephony.Analytics.Contracts;

/// <summary>
/// What every call event carries, so that consumers can order, correlate and de-duplicate events
/// without knowing the concrete type.
/// </summary>
public interface ICallEvent
{
    /// <summary>Unique id of this event; a consumer that sees the same id twice drops the second.</summary>
    Guid EventId { get; }

    /// <summary>The gateway's id for the call (the SIP Call-ID is never reused for it).</summary>
    string CallId { get; }

    /// <summary>Position of this event within its call, starting at 1 with no gaps.</summary>
    long Sequence { get; }

    /// <summary>When the gateway observed what the event describes (UTC).</summary>
    DateTimeOffset Timestamp { get; }
}
