namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Something the <see cref="MediaClock"/> thread wakes at its due time.</summary>
public abstract class MediaClockEntry
{
    /// <summary>Runs on the clock thread; <paramref name="generation"/> is what the entry was scheduled with.</summary>
    internal abstract void Fire(long generation);
}
