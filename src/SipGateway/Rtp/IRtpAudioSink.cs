namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Receives the decoded audio of one call, on the session's receive loop (never concurrently).</summary>
public interface IRtpAudioSink
{
    /// <summary>
    /// One frame (usually 20 ms: 160 samples at 8 kHz, 320 at 16 kHz) leaving the jitter buffer, in timestamp order: a
    /// decoded payload, an attenuated repeat for a single lost packet, silence for a longer gap, or RFC 3389 comfort
    /// noise. <paramref name="pcm"/> is only valid during the call; copy what must outlive it. Must not block: it runs
    /// on the receive loop or the playout ticker, never concurrently.
    /// </summary>
    /// <param name="pcm">Linear 16-bit PCM at <paramref name="sampleRate"/>.</param>
    /// <param name="sampleRate">The codec's PCM rate: 8000 for G.711, 16000 for G.722.</param>
    /// <param name="rtpTimestamp">The frame's RTP timestamp (RTP clock units, random origin; RFC 3550 §5.1).</param>
    /// <param name="arrivalTime">When the frame was played out (left the jitter buffer), from the session's start.</param>
    void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime);
}
