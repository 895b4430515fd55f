using StepAudio.Telephony.Inference.Dtmf;
using StepAudio.Telephony.Inference.Resampling;
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
    private NarrowbandTap? _narrowband;

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
    public void OnCallerAudio<TState>(ReadOnlySpan<short> pcm, int sampleRate, TState state, Action<TState, DtmfDigit> onDigit)
    {
        if (_recorder is null && _dtmf is null)
        {
            return;
        }

        // The recording and the DTMF detector work at the telephone rate; wideband (G.722) audio is brought down.
        var pcm8k = sampleRate == NarrowbandTap.SampleRate ? pcm : (_narrowband ??= new NarrowbandTap()).Convert(pcm);
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

    /// <summary>16 kHz → 8 kHz for the narrowband consumers, with the buffers reused frame after frame.</summary>
    private sealed class NarrowbandTap
    {
        public const int SampleRate = 8000;

        private readonly Downsampler16kTo8k _downsampler = new();
        private float[] _wide = [];
        private float[] _narrow = [];
        private short[] _pcm = [];

        public ReadOnlySpan<short> Convert(ReadOnlySpan<short> pcm16k)
        {
            if (_wide.Length < pcm16k.Length)
            {
                _wide = new float[pcm16k.Length];
                _narrow = new float[pcm16k.Length];
                _pcm = new short[pcm16k.Length];
            }

            var wide = _wide.AsSpan(0, pcm16k.Length);
            PcmConversion.ToFloat(pcm16k, wide);
            int count = _downsampler.Process(wide, _narrow);
            PcmConversion.ToPcm16(_narrow.AsSpan(0, count), _pcm);
            return _pcm.AsSpan(0, count);
        }
    }
}
