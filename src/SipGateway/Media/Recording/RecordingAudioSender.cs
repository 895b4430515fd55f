using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Media.Recording;

/// <summary>Sends through the call's RTP sender and records each frame as the gateway's side of the call.</summary>
public sealed class RecordingAudioSender : IRtpAudioSender
{
    private readonly IRtpAudioSender _inner;
    private readonly CallRecorder _recorder;

    /// <summary>Wraps <paramref name="inner"/>; the recorder's right channel receives every frame sent.</summary>
    public RecordingAudioSender(IRtpAudioSender inner, CallRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recorder);
        _inner = inner;
        _recorder = recorder;
    }

    /// <inheritdoc />
    public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
    {
        bool sent = _inner.SendAudio(pcm8k, marker);

        // Recorded even when the datagram was not sent (hold, socket error): it is what the gateway played.
        _recorder.WriteGateway(pcm8k);
        return sent;
    }
}
