namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Where one undelivered record lies. The outbox keeps these in memory (16 bytes per event, about 5% of the
/// disk it indexes) so that Count and HeldBytes are exact and the reader never has to trust on-disk framing
/// to find the next record.
/// </summary>
internal readonly record struct OutboxRecordRef(long Segment, int Offset, int Length);
