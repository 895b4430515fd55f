namespace StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

/// <summary>A snapshot of one <see cref="AdaptiveJitterBuffer"/>'s state and counters.</summary>
/// <param name="CurrentDelay">Smoothed time packets wait between arrival and playout.</param>
/// <param name="TargetDelay">The delay the buffer steers towards (k · jitter + frame, clamped).</param>
/// <param name="Jitter">Interarrival jitter as RFC 3550 A.8 defines it, measured on the local clock.</param>
/// <param name="PacketsLate">Packets that arrived after their playout time and were dropped.</param>
/// <param name="PacketsDuplicate">Packets whose timestamp was already buffered or played.</param>
/// <param name="PacketsReordered">Packets that arrived with a lower sequence number than one before them.</param>
/// <param name="FramesConcealed">Single lost frames released as Concealed.</param>
/// <param name="FramesMissing">Frames of longer gaps released as Missing.</param>
/// <param name="FramesDropped">Frames discarded to shrink the delay (drift or calmer network).</param>
/// <param name="FramesInserted">Concealed frames inserted to grow the delay.</param>
/// <param name="Resynchronisations">Timeline restarts: a timestamp jump beyond the gap bound or a new frame size.</param>
/// <param name="DriftPpm">Sender clock rate relative to ours, in parts per million (positive: sender fast).</param>
/// <param name="MaxDepth">The most frames ever held at once.</param>
public readonly record struct JitterBufferStatistics(
    TimeSpan CurrentDelay,
    TimeSpan TargetDelay,
    TimeSpan Jitter,
    long PacketsLate,
    long PacketsDuplicate,
    long PacketsReordered,
    long FramesConcealed,
    long FramesMissing,
    long FramesDropped,
    long FramesInserted,
    long Resynchronisations,
    double DriftPpm,
    int MaxDepth);
