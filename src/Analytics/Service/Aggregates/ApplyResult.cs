namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>What the aggregator did with one event.</summary>
public enum ApplyResult
{
    /// <summary>Counted and/or shown.</summary>
    Applied,

    /// <summary>Its message id, or its call's sequence number, was applied before: a redelivery.</summary>
    Duplicate,

    /// <summary>Arrived after its call's CallEnded and carries nothing the aggregates count.</summary>
    LateForEndedCall,

    /// <summary>It names no call, so it cannot be attributed (a malformed or foreign message).</summary>
    Rejected,
}
