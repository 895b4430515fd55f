namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Sends audio frames as RTP packets; implemented by <see cref="RtpSession"/>.</summary>
public interface IRtpAudioSender
{
    /// <summary>Encodes and sends one frame; the RTP timestamp advances by <c>pcm8k.Length</c>.</summary>
    /// <returns>False when the datagram could not be sent (counted and logged, never thrown).</returns>
    bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false);
}
