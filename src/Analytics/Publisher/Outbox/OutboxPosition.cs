namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>A byte position in the outbox: segment index and offset within that segment.</summary>
internal readonly record struct OutboxPosition(long Segment, long Offset);
