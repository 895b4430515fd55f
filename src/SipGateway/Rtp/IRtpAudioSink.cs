namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Receives the decoded audio of one call, on the session's receive loop (never concurrently).</summary>
public interface IRtpAudioSink
{
    /// <summary>
    /// One decoded RTP payload (usually 20 ms: 160 samples at 8 kHz, 320 at 16 kHz). <paramref name="pcm"/> is only
    /// valid during the call; copy what must outlive it. Must not block: it runs on the receive loop.
    /// </summary>
    /// <param name="pcm">Linear 16-bit PCM at <paramref name="sampleRate"/>.</param>
    /// <param name="sampleRate">The codec's PCM rate: 8000 for G.711, 16000 for G.722.</param>
    /// <param name="rtpTimestamp">The packet's RTP timestamp (RTP clock units, random origin; RFC 3550 §5.1).</param>
    /// <param name="arrivalTime">When the packet arrived, measured from the session's start.</param>
    void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime);
}
