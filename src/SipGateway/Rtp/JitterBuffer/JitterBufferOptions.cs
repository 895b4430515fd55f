namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>Tuning of <see cref="AdaptiveJitterBuffer"/>; the defaults suit 20 ms narrowband telephony.</summary>
public sealed class JitterBufferOptions
{
    /// <summary>Lowest playout delay the target may fall to.</summary>
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Highest playout delay the target may rise to; later packets are dropped as late.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The k in target = k · jitter + one frame (RFC 3550 A.8 jitter); 4 covers nearly all of a normal spread.</summary>
    public double JitterMultiplier { get; set; } = 4;

    /// <summary>How fast the target may fall once jitter calms down (rising is immediate).</summary>
    public TimeSpan DecreasePerSecond { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>At most one dropped or inserted frame per interval while delay is steered towards the target.</summary>
    public TimeSpan AdjustmentInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Frames the ring holds; bounds memory and how far ahead a packet may arrive.</summary>
    public int Capacity { get; set; } = 64;

    /// <summary>The largest payload stored; longer ones are truncated to it.</summary>
    public int MaxPayloadBytes { get; set; } = 1200;

    /// <summary>A timestamp jump larger than this (in frames, either direction) is a new timeline, not a gap.</summary>
    public int MaxGapFrames { get; set; } = 50;

    /// <summary>How long comfort noise continues after the last CN or audio packet before playout stops.</summary>
    public TimeSpan ComfortNoiseHold { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (MinDelay < TimeSpan.Zero || MaxDelay < MinDelay)
        {
            throw new ArgumentException("Jitter buffer delays need 0 <= MinDelay <= MaxDelay.");
        }

        if (Capacity < 4 || MaxPayloadBytes < 1 || MaxGapFrames < 2 || JitterMultiplier < 0)
        {
            throw new ArgumentException("Jitter buffer capacity, payload size, gap bound or multiplier out of range.");
        }
    }
}
