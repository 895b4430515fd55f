namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>One frame released for playout. <see cref="Payload"/> is only valid until the buffer is used again.</summary>
public readonly ref struct JitterFrame
{
    internal JitterFrame(JitterFrameKind kind, uint timestamp, int duration, ReadOnlySpan<byte> payload)
    {
        Kind = kind;
        Timestamp = timestamp;
        Duration = duration;
        Payload = payload;
    }

    /// <summary>What the frame carries.</summary>
    public JitterFrameKind Kind { get; }

    /// <summary>
    /// RTP timestamp of the frame: for gap frames the one the missing packet would have had; a frame inserted to grow
    /// the delay repeats the timestamp of the frame it precedes.
    /// </summary>
    public uint Timestamp { get; }

    /// <summary>Length in timestamp units (samples at the RTP clock rate).</summary>
    public int Duration { get; }

    /// <summary>The packet's payload (Normal), the CN noise level and any spectral octets (ComfortNoise), else empty.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
