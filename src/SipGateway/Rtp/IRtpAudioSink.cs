namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Receives the decoded audio of one call, on the session's receive loop (never concurrently).</summary>
public interface IRtpAudioSink
{
    /// <summary>
    /// One decoded RTP payload (usually 160 samples = 20 ms). <paramref name="pcm8k"/> is only valid during the
    /// call; copy what must outlive it. Must not block: it runs on the receive loop.
    /// </summary>
    /// <param name="pcm8k">Linear 16-bit PCM at 8 kHz.</param>
    /// <param name="rtpTimestamp">The packet's RTP timestamp (8 kHz units, random origin; RFC 3550 §5.1).</param>
    /// <param name="arrivalTime">When the packet arrived, measured from the session's start.</param>
    void OnAudio(ReadOnlySpan<short> pcm8k, uint rtpTimestamp, TimeSpan arrivalTime);
}
