using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtcp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The send side of one <see cref="RtpSession"/>: one SSRC, sequence and timestamp space (RFC 3550 §5.1) shared by
/// audio and RFC 4733 events, encoded into one preallocated buffer under one lock, protected when the call is SRTP,
/// and sent to the SDP address until the receive side latches onto the peer's real source (RFC 4961).
/// </summary>
internal sealed class RtpSender
{
    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly SrtpSession? _srtp;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _warnings;
    private readonly byte[] _buffer = new byte[RtpPacket.FixedHeaderLength + RtpSession.MaxSamplesPerPacket + SrtpTransform.AuthTagLength];
    private readonly uint _ssrc;
    private IAudioCodec _codec;
    private NarrowbandFrameEncoder _encoder;
    private ushort _sequence;
    private uint _timestamp;
    private long _sent;
    private long _sentOctets;
    private long _errors;
    private volatile RtpSendTarget _target;
    private volatile bool _suspended;

    public RtpSender(Socket socket, IAudioCodec codecSession, IPEndPoint remoteEndPoint, SrtpSession? srtp, ILogger logger, LogRateLimiter warnings)
    {
        _socket = socket;
        _codec = codecSession;
        _encoder = new NarrowbandFrameEncoder(codecSession, RtpSession.MaxSamplesPerPacket);
        _target = new RtpSendTarget(remoteEndPoint);
        _srtp = srtp;
        _logger = logger;
        _warnings = warnings;

        // RFC 3550 §5.1: random initial sequence number, timestamp and SSRC make known-plaintext attacks harder.
        _ssrc = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        _sequence = (ushort)RandomNumberGenerator.GetInt32(0, 1 << 16);
        _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
    }

    public uint Ssrc => _ssrc;

    /// <summary>Where packets go: the latched source once known, the SDP address before.</summary>
    public RtpSendTarget Target => _target;

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The RTP timestamp the next audio frame would carry: an event starting now takes it (RFC 4733 §2.5.1.1).</summary>
    public uint NextTimestamp
    {
        get
        {
            lock (_gate)
            {
                return _timestamp;
            }
        }
    }

    /// <summary>Sends to where the peer's packets come from (symmetric RTP, RFC 4961).</summary>
    public void LatchTo(RtpSendTarget target) => _target = target;

    /// <summary>
    /// Applies a renegotiated session (RFC 3264 §8): a new codec session when the codec changed, a new peer address
    /// (latching starts over), and whether we may send at all (false while the peer holds the call).
    /// </summary>
    public void Reconfigure(IAudioCodec? codecSession, IPEndPoint remoteEndPoint, bool send)
    {
        lock (_gate)
        {
            if (codecSession is not null)
            {
                _codec = codecSession;
                _encoder = new NarrowbandFrameEncoder(codecSession, RtpSession.MaxSamplesPerPacket);
            }

            _suspended = !send;
            if (!remoteEndPoint.Equals(_target.EndPoint))
            {
                _target = new RtpSendTarget(remoteEndPoint);
            }
        }
    }

    /// <summary>Encodes and sends one frame; see <see cref="RtpSession.SendAudio"/>.</summary>
    public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker)
    {
        lock (_gate)
        {
            RtpPacketWriter.WriteHeader(_buffer, marker, _codec.PayloadType, _sequence, _timestamp, _ssrc);
            int payloadLength = _encoder.Encode(pcm8k, _buffer.AsSpan(RtpPacket.FixedHeaderLength));
            _sequence++;

            // Every codec here has an 8000 Hz RTP clock, G.722 included (RFC 3551 §4.5.2): one 8 kHz sample, one tick.
            _timestamp += (uint)pcm8k.Length;

            // RFC 3264 §8.4: c=0.0.0.0 puts the stream on hold; the clock still runs so timestamps stay continuous.
            return TrySend(RtpPacket.FixedHeaderLength + payloadLength, payloadLength, warn: true);
        }
    }

    /// <summary>
    /// Sends one non-audio payload on this SSRC and sequence space with an explicit timestamp (RFC 4733 packets repeat
    /// the event's start timestamp), then moves the audio clock on by <paramref name="advanceTimestamp"/>.
    /// </summary>
    public bool SendPayload(int payloadType, bool marker, uint timestamp, ReadOnlySpan<byte> payload, uint advanceTimestamp)
    {
        lock (_gate)
        {
            int length = RtpPacketWriter.Write(_buffer, marker, payloadType, _sequence, timestamp, _ssrc, payload);
            _sequence++;
            _timestamp += advanceTimestamp;
            return TrySend(length, payloadOctets: 0, warn: false);
        }
    }

    /// <summary>Moves the audio clock on by <paramref name="samples"/> without sending (a pause between events).</summary>
    public void AdvanceTimestamp(uint samples)
    {
        lock (_gate)
        {
            _timestamp += samples;
        }
    }

    public RtpSenderSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new RtpSenderSnapshot(_sent, _sentOctets, _timestamp);
        }
    }

    /// <summary>Under the send lock, so no send is half-way through the transform; later sends fail as disposed.</summary>
    public void DisposeSrtp()
    {
        lock (_gate)
        {
            _srtp?.Dispose();
        }
    }

    /// <summary>Sends the packet in the buffer unless the stream is on hold. Caller holds the send lock.</summary>
    private bool TrySend(int length, int payloadOctets, bool warn)
    {
        var target = _target;
        if (target.IsUnspecified || _suspended)
        {
            return false;
        }

        try
        {
            _socket.SendTo(_buffer.AsSpan(0, Secure(length)), SocketFlags.None, target.Address);
            _sent++;
            _sentOctets += payloadOctets;
            RtpMetrics.PacketsSent.Add(1);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _errors++;
            if (warn && _warnings.TryAcquire(out _))
            {
                RtpSessionLog.SendFailed(_logger, ex, target.EndPoint);
            }

            return false;
        }
    }

    /// <summary>
    /// Protects the packet in the buffer when the call is SRTP (RFC 3711 §3.3) and returns the length to send. A disposed
    /// transform throws <see cref="ObjectDisposedException"/>, which the caller counts as a send error.
    /// </summary>
    private int Secure(int length)
    {
        if (_srtp is null)
        {
            return length;
        }

        var secured = _srtp.RtpOut.Protect(_buffer, length);
        return secured >= 0 ? secured : throw new ObjectDisposedException(nameof(SrtpTransform), "The RTP packet could not be protected.");
    }
}
