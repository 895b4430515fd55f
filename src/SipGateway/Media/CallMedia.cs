using StepAudio.Telephony.Inference.Dtmf;
using StepAudio.Telephony.SipGateway.Media.Playback;
using StepAudio.Telephony.SipGateway.Media.Recording;

namespace StepAudio.Telephony.SipGateway.Media;

/// <summary>
/// The media features of one call around its RTP session: what it plays (with barge-in), what it records and the
/// in-band DTMF fallback. Created by <see cref="CallMediaFactory"/>; the call session only forwards to it.
/// </summary>
internal sealed class CallMedia : IAsyncDisposable
{
    private readonly CallRecorder? _recorder;
    private readonly GoertzelDtmfDetector? _dtmf;

    public CallMedia(CallPlayout playout, CallRecorder? recorder, GoertzelDtmfDetector? dtmf)
    {
        Playout = playout;
        _recorder = recorder;
        _dtmf = dtmf;
    }

    /// <summary>Everything the gateway plays to the caller goes through here.</summary>
    public CallPlayout Playout { get; }

    /// <summary>The recording's file, when the call is recorded.</summary>
    public string? RecordingPath => _recorder?.Path;

    /// <summary>
    /// Caller audio from the receive loop (one thread, never concurrently): recorded, and scanned for DTMF tones
    /// when RFC 4733 events were not negotiated. <paramref name="onDigit"/> is called once per completed key press;
    /// it takes its target as <paramref name="state"/> so that a static lambda allocates nothing per frame.
    /// </summary>
    public void OnCallerAudio<TState>(ReadOnlySpan<short> pcm8k, TState state, Action<TState, DtmfDigit> onDigit)
    {
        _recorder?.WriteCaller(pcm8k);
        if (_dtmf is null)
        {
            return;
        }

        _dtmf.Process(pcm8k);
        while (_dtmf.TryRead(out var digit))
        {
            onDigit(state, digit);
        }
    }

    /// <summary>The caller started to speak: prompts that allow it stop (barge-in).</summary>
    public void OnSpeechStarted() => Playout.BargeIn();

    /// <summary>Stops playback and finalises the recording.</summary>
    public async ValueTask DisposeAsync()
    {
        await Playout.DisposeAsync();
        _recorder?.Dispose();
    }
}
