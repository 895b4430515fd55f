using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <content>
/// The playout side: frames leave the jitter buffer when their playout time comes, driven both by packet arrival
/// (the receive loop drains after each push) and by <see cref="RtpPlayoutTicker"/>, one timer shared by all sessions,
/// so the tail of a talkspurt and comfort noise still come out when packets stop (a Task per call would cost a
/// timer and a wake-up per call). All decoding happens here, in <see cref="DecodeInto"/>.
/// </content>
public sealed partial class RtpSession : IRtpPlayoutClient
{
    private readonly Lock _playoutGate = new();
    private readonly JitterBufferOptions _jitterBufferOptions;
    private readonly RtpPlayoutTicker _playoutTicker;
    private readonly RtpPlayoutTicker? _ownedTicker;
    // Wideband codecs decode an octet into two samples (G.722), so the PCM buffers are twice the datagram size. They
    // are allocated with the first frame (64 KB), not at set-up: call set-up stays cheap (issue 16, calls per second).
    private short[]? _pcmBuffer;
    private short[]? _lastPcmBuffer;
    private readonly ComfortNoiseGenerator _comfortNoise = new();
    private AdaptiveJitterBuffer _jitterBuffer;
    private int _lastPcmLength;
    private long _delivered;
    private long _framesConcealed;
    private long _framesSilent;

    private TimeSpan Now => _timeProvider.GetElapsedTime(_startTimestamp);

    private short[] Pcm => _pcmBuffer ??= new short[2 * ReceiveBufferSize];

    private short[] LastPcm => _lastPcmBuffer ??= new short[2 * ReceiveBufferSize];

    /// <inheritdoc />
    void IRtpPlayoutClient.OnPlayoutTick()
    {
        var now = Now;
        lock (_playoutGate)
        {
            Drain(now);
        }
    }

    /// <summary>Hands every due frame to the sink. Caller holds <see cref="_playoutGate"/>.</summary>
    private void Drain(TimeSpan now)
    {
        bool flush = now == TimeSpan.MaxValue;
        while (flush ? _jitterBuffer.TryFlush(out var frame) : _jitterBuffer.TryRelease(now, out frame))
        {
            int samples = Render(frame);
            if (samples == 0)
            {
                continue;
            }

            try
            {
                _sink.OnAudio(Pcm.AsSpan(0, samples), _codec.SampleRate, frame.Timestamp, flush ? Now : now);
            }
            catch (Exception ex)
            {
                // A faulty sink must not end the call's media.
                if (ShouldWarn())
                {
                    LogHandlingFailed(_logger, ex, LocalEndPoint);
                }
            }
        }
    }

    /// <summary>Turns a released frame into PCM in <see cref="Pcm"/>; returns the sample count.</summary>
    private int Render(JitterFrame frame)
    {
        // Durations are in RTP clock ticks; G.722 has two samples per tick (RFC 3551 §4.5.2).
        int samples = Math.Min(frame.Duration * (_codec.SampleRate / _codec.ClockRate), Pcm.Length);
        switch (frame.Kind)
        {
            case JitterFrameKind.Normal:
                samples = DecodeInto(frame.Payload);
                _delivered++;
                RtpMetrics.PlayoutFrames.Add(1, RtpMetrics.NormalFrame);
                return samples;

            case JitterFrameKind.Concealed when _lastPcmLength > 0:
                // One lost frame: repeat the previous one 6 dB down; a second in a row fades further.
                samples = _lastPcmLength;
                var last = LastPcm;
                for (int i = 0; i < samples; i++)
                {
                    last[i] = (short)(last[i] >> 1);
                }

                last.AsSpan(0, samples).CopyTo(Pcm);
                _framesConcealed++;
                RtpMetrics.PlayoutFrames.Add(1, RtpMetrics.ConcealedFrame);
                return samples;

            case JitterFrameKind.ComfortNoise:
                // RFC 3389: noise rather than digital silence, at the level the peer measured, so VAD and any
                // listener hear the line as the caller's end sounds, not as dropped.
                _comfortNoise.Fill(Pcm.AsSpan(0, samples), _jitterBuffer.NoiseLevel);
                _lastPcmLength = 0;
                _framesSilent++;
                RtpMetrics.PlayoutFrames.Add(1, RtpMetrics.ComfortNoiseFrame);
                return samples;

            default:
                // Missing (or concealment with nothing to repeat): silence keeps the timeline without inventing speech.
                Pcm.AsSpan(0, samples).Clear();
                _lastPcmLength = 0;
                _framesSilent++;
                RtpMetrics.PlayoutFrames.Add(1, RtpMetrics.MissingFrame);
                return samples;
        }
    }

    /// <summary>The one place received payloads are decoded (codec changes only need to touch this).</summary>
    private int DecodeInto(ReadOnlySpan<byte> payload)
    {
        int samples = _codec.Decode(payload, Pcm);
        Pcm.AsSpan(0, samples).CopyTo(LastPcm);
        _lastPcmLength = samples;
        return samples;
    }
}
