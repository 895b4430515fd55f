namespace StepAudio.Telephony.Analytics.Service.Aggregates;

/// <summary>Ended calls per CallEnded.Outcome; <paramref name="Unknown"/> holds null or unrecognised outcomes.</summary>
public sealed record OutcomeCounts(long Completed, long Transferred, long Abandoned, long Failed, long Unknown);
