using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>An audio sink for tests that look at everything but the decoded audio.</summary>
internal sealed class DiscardingAudioSink : IRtpAudioSink
{
    public static DiscardingAudioSink Instance { get; } = new();

    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
    {
    }
}
