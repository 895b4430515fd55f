namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Receives the decoded audio of one call, on the session's receive loop (never concurrently).</summary>
public interface IRtpAudioSink
{
    /// <summary>
    /// One frame (usually 160 samples = 20 ms) leaving the jitter buffer, in timestamp order: a decoded payload, an
    /// attenuated repeat for a single lost packet, silence for a longer gap, or RFC 3389 comfort noise.
    /// <paramref name="pcm8k"/> is only valid during the call; copy what must outlive it. Must not block: it runs on
    /// the receive loop or the playout ticker, never concurrently.
    /// </summary>
    /// <param name="pcm8k">Linear 16-bit PCM at 8 kHz.</param>
    /// <param name="rtpTimestamp">The frame's RTP timestamp (8 kHz units, random origin; RFC 3550 §5.1).</param>
    /// <param name="arrivalTime">When the frame was played out (left the jitter buffer), from the session's start.</param>
    void OnAudio(ReadOnlySpan<short> pcm8k, uint rtpTimestamp, TimeSpan arrivalTime);
}
