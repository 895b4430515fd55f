using System.Net;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The playout side of one <see cref="RtpSession"/>: frames leave the jitter buffer when their playout time comes,
/// driven both by packet arrival (the receive side drains after each push) and by <see cref="RtpPlayoutTicker"/>, one
/// timer shared by all sessions, so the tail of a talkspurt and comfort noise still come out when packets stop (a Task
/// per call would cost a timer and a wake-up per call). All decoding happens here, in <see cref="DecodeInto"/>.
/// It has its own lock so the ticker can drain while the receive side validates the next packet.
/// </summary>
internal sealed class RtpPlayout : IRtpPlayoutClient
{
    private readonly Lock _gate = new();
    private readonly IRtpAudioSink _sink;
    private readonly JitterBufferOptions _options;
    private readonly Func<TimeSpan> _now;
    private readonly IPEndPoint _local;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _warnings;
    private readonly ComfortNoiseGenerator _comfortNoise = new();

    // Wideband codecs decode an octet into two samples (G.722), so the PCM buffers are twice the datagram size. They
    // are allocated with the first frame (64 KB), not at set-up: call set-up stays cheap (issue 16, calls per second).
    private readonly int _maxSamples;
    private short[]? _pcmBuffer;
    private short[]? _lastPcmBuffer;
    private IAudioCodec _codec;
    private AdaptiveJitterBuffer _jitterBuffer;
    private int _lastPcmLength;
    private long _delivered;
    private long _framesConcealed;
    private long _framesSilent;

    /// <param name="codecSession">The codec session received payloads are decoded with.</param>
    /// <param name="maxSamples">The most samples one frame can decode to.</param>
    /// <param name="sink">Receives the decoded audio.</param>
    /// <param name="options">Jitter buffer tuning.</param>
    /// <param name="now">The session's media time (elapsed since it started).</param>
    /// <param name="local">The session's local address, for log lines.</param>
    /// <param name="logger">Logger for a failing sink.</param>
    /// <param name="warnings">The session's shared rate limit on warnings.</param>
    public RtpPlayout(
        IAudioCodec codecSession, int maxSamples, IRtpAudioSink sink, JitterBufferOptions options, Func<TimeSpan> now, IPEndPoint local, ILogger logger, LogRateLimiter warnings)
    {
        _codec = codecSession;
        _maxSamples = maxSamples;
        _sink = sink;
        _options = options;
        _now = now;
        _local = local;
        _logger = logger;
        _warnings = warnings;
        _jitterBuffer = new AdaptiveJitterBuffer(options, codecSession.ClockRate);
    }

    private short[] Pcm => _pcmBuffer ??= new short[_maxSamples];

    private short[] LastPcm => _lastPcmBuffer ??= new short[_maxSamples];

    /// <summary>
    /// Buffers one received packet and plays out what is due. <paramref name="codecSession"/> is the codec the receive
    /// side accepted the packet for: a packet accepted just before a codec change is dropped, never decoded with the
    /// other codec.
    /// </summary>
    public void Push(IAudioCodec codecSession, in RtpPacket packet, bool comfortNoise, bool sourceChanged, TimeSpan now)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(codecSession, _codec))
            {
                RtpMetrics.Ignored(RtpMetrics.WrongPayloadType);
                return;
            }

            if (sourceChanged)
            {
                // RFC 3550 §8.2: a new SSRC is a new source. Play out what the old one left, then start afresh, so
                // the sink never gets frames of two sources interleaved.
                Drain(TimeSpan.MaxValue);
                _jitterBuffer.Reset();
                _lastPcmLength = 0;
            }

            int duration = comfortNoise ? RtpSession.SamplesPerFrame : packet.Payload.Length;
            if (!_jitterBuffer.Push(packet.SequenceNumber, packet.Timestamp, packet.Payload, duration, now, comfortNoise))
            {
                RtpMetrics.Ignored(RtpMetrics.LateOrDuplicate);
            }

            Drain(now);
        }
    }

    /// <summary>
    /// Starts a new timeline with another codec: a stateful codec's state belongs to the stream it coded, and
    /// timestamps of another codec are a new timeline, so nothing buffered is decoded with the wrong codec.
    /// </summary>
    public void ChangeCodec(IAudioCodec codecSession)
    {
        lock (_gate)
        {
            _codec = codecSession;
            _jitterBuffer = new AdaptiveJitterBuffer(_options, codecSession.ClockRate);
            _lastPcmLength = 0;
        }
    }

    /// <inheritdoc />
    void IRtpPlayoutClient.OnPlayoutTick()
    {
        var now = _now();
        lock (_gate)
        {
            Drain(now);
        }
    }

    /// <summary>The playout counters and the jitter buffer's, at one instant (waits for a frame being handed over).</summary>
    public (long Delivered, long Concealed, long Silent, JitterBufferStatistics JitterBuffer) GetStatistics()
    {
        lock (_gate)
        {
            return (_delivered, _framesConcealed, _framesSilent, _jitterBuffer.GetStatistics());
        }
    }

    /// <summary>Hands every due frame to the sink. Caller holds the lock.</summary>
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
                _sink.OnAudio(Pcm.AsSpan(0, samples), _codec.SampleRate, frame.Timestamp, flush ? _now() : now);
            }
            catch (Exception ex)
            {
                // A faulty sink must not end the call's media.
                if (_warnings.TryAcquire(out _))
                {
                    RtpSessionLog.HandlingFailed(_logger, ex, _local);
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
