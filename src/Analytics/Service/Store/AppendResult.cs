namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>What the store did with one event.</summary>
public enum AppendResult
{
    /// <summary>Written, and its call's summary updated.</summary>
    Stored,

    /// <summary>Its event id, or its call's sequence number, is already stored: a redelivery.</summary>
    Duplicate,

    /// <summary>Its call started before the retention cut-off; not stored.</summary>
    OutsideRetention,

    /// <summary>It names no call (a malformed or foreign message): acknowledged and counted, not stored.</summary>
    Rejected,
}
