using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Rtcp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The receive side of one <see cref="RtpSession"/>: one loop reads datagrams, verifies SRTP, validates them (source,
/// RTP header, payload type, SSRC, sequence), latches the sender onto the peer's source, and pushes audio and comfort
/// noise to the <see cref="RtpPlayout"/>. Nothing throws out of the loop: bad input is counted and logged at a bounded
/// rate.
/// </summary>
internal sealed class RtpReceiver
{
    private const int BufferSize = 8192;

    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly SrtpSession? _srtp;
    private readonly RtpSender _sender;
    private readonly RtpPlayout _playout;
    private readonly int? _telephoneEventPayloadType;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly IPEndPoint _local;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _warnings;
    private readonly RtpSequenceStatistics _sequence = new();
    private IAudioCodec _codec;
    private SocketAddress? _latchedAddress;
    private uint? _ssrc;
    private long _received;
    private long _invalid;
    private long _wrongPayloadType;
    private long _unexpectedSource;
    private long _telephoneEvents;
    private long _outOfSequence;
    private long _comfortNoisePackets;
    private long _sourceChanges;
    private long _srtpDropped;
    private long _lastPacketTimestamp;

    public RtpReceiver(
        Socket socket, IAudioCodec codecSession, SrtpSession? srtp, RtpSender sender, RtpPlayout playout, int? telephoneEventPayloadType,
        TimeProvider time, long startTimestamp, IPEndPoint local, ILogger logger, LogRateLimiter warnings)
    {
        _socket = socket;
        _codec = codecSession;
        _srtp = srtp;
        _sender = sender;
        _playout = playout;
        _telephoneEventPayloadType = telephoneEventPayloadType;
        _time = time;
        _startTimestamp = startTimestamp;
        _local = local;
        _logger = logger;
        _warnings = warnings;
    }

    /// <summary>The most samples one datagram can decode to (G.722: two per octet).</summary>
    public static int MaxSamplesPerDatagram => 2 * BufferSize;

    /// <summary>Where RFC 4733 key presses go; set before the loop starts.</summary>
    public TelephoneEventReceiver? TelephoneEvents { get; set; }

    public long SrtpDropped => Interlocked.Read(ref _srtpDropped);

    /// <summary>The stopwatch timestamp of the last valid packet, 0 before the first.</summary>
    public long LastPacketTimestamp => Interlocked.Read(ref _lastPacketTimestamp);

    /// <summary>Reads and handles datagrams until cancelled or the socket is closed.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        DatagramReceiveLoop.RunAsync(_socket, BufferSize, OnReceived, OnSocketError, _time, cancellationToken);

    /// <summary>
    /// Applies a renegotiated session (RFC 3264 §8) under the receive lock, so no packet is validated against half an
    /// update: a new codec for validation, playout and sending; a new peer address, after which latching starts over
    /// (the peer may have moved); whether we may send at all.
    /// </summary>
    public void Reconfigure(IAudioCodec? codecSession, IPEndPoint remoteEndPoint, bool send)
    {
        lock (_gate)
        {
            if (codecSession is not null)
            {
                _playout.ChangeCodec(codecSession);
                _codec = codecSession;
            }

            if (!remoteEndPoint.Equals(_sender.Target.EndPoint))
            {
                _latchedAddress = null;
            }

            _sender.Reconfigure(codecSession, remoteEndPoint, send);
        }
    }

    public RtpReceptionSnapshot ReceptionSnapshot()
    {
        lock (_gate)
        {
            return new RtpReceptionSnapshot(
                _ssrc.HasValue && _sequence.Received > 0,
                _ssrc.GetValueOrDefault(),
                _sequence.ExtendedHighestSequence,
                _sequence.Expected,
                _sequence.Received,
                _sequence.Jitter);
        }
    }

    /// <summary>Copies the receive counters into <paramref name="statistics"/>.</summary>
    public RtpSessionStatistics FillStatistics(RtpSessionStatistics statistics)
    {
        lock (_gate)
        {
            return statistics with
            {
                PacketsReceived = _received,
                PacketsInvalid = _invalid,
                PacketsWrongPayloadType = _wrongPayloadType,
                PacketsFromUnexpectedSource = _unexpectedSource,
                TelephoneEventPackets = _telephoneEvents,
                PacketsOutOfSequence = _outOfSequence,
                PacketsExpected = _sequence.Expected,
                PacketsLost = _sequence.LostClamped,
                PacketsDuplicated = _sequence.Surplus,
                Jitter = TimeSpan.FromTicks(_sequence.Jitter * TimeSpan.TicksPerSecond / _codec.ClockRate),
                ComfortNoisePackets = _comfortNoisePackets,
                SourceChanges = _sourceChanges,
            };
        }
    }

    private void OnReceived(Span<byte> datagram, SocketAddress source)
    {
        var length = datagram.Length;
        if (!TryUnprotect(datagram, ref length))
        {
            return;
        }

        try
        {
            OnDatagram(datagram[..length], source);
        }
        catch (Exception ex)
        {
            // Defensive: a bug in handling one packet must not end the call's media.
            if (_warnings.TryAcquire(out _))
            {
                RtpSessionLog.HandlingFailed(_logger, ex, _local);
            }
        }
    }

    /// <summary>E.g. ICMP port unreachable surfacing as ConnectionReset; the socket itself stays usable.</summary>
    private void OnSocketError(SocketException ex)
    {
        if (_warnings.TryAcquire(out _))
        {
            RtpSessionLog.ReceiveFailed(_logger, ex, _local);
        }
    }

    /// <summary>
    /// RFC 3711 §3.3: with SRTP, a packet is played only after its tag verifies and its index is new; forged,
    /// wrong-key, replayed and garbage packets are dropped here, counted, and logged at a bounded rate.
    /// </summary>
    private bool TryUnprotect(Span<byte> datagram, ref int length)
    {
        if (_srtp is null)
        {
            return true;
        }

        var result = _srtp.UnprotectRtp(datagram, out var plainLength);
        if (result == SrtpUnprotectResult.Ok)
        {
            length = plainLength;
            return true;
        }

        SrtpMetrics.Dropped(result, rtcp: false);
        Interlocked.Increment(ref _srtpDropped);
        if (_warnings.TryAcquire(out _))
        {
            RtpSessionLog.SrtpDropped(_logger, datagram.Length, _local, result);
        }

        return false;
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        var kind = Classify(datagram, source, out var packet, out var codec, out bool sourceChanged);
        if (kind != ReceivedKind.None)
        {
            _playout.Push(codec, packet, kind == ReceivedKind.ComfortNoise, sourceChanged, _time.GetElapsedTime(_startTimestamp));
        }
    }

    private ReceivedKind Classify(ReadOnlySpan<byte> datagram, SocketAddress source, out RtpPacket packet, out IAudioCodec codec, out bool sourceChanged)
    {
        packet = default;
        sourceChanged = false;
        lock (_gate)
        {
            codec = _codec;
            if (_latchedAddress is not null && !_latchedAddress.Equals(source))
            {
                // RFC 4961 symmetric RTP: after latching only the peer's address counts; a flood from elsewhere is
                // counted and logged at most once per warning interval, never played.
                _unexpectedSource++;
                RtpMetrics.Ignored(RtpMetrics.UnexpectedSource);
                if (_warnings.TryAcquire(out _))
                {
                    RtpSessionLog.UnexpectedSource(_logger, datagram.Length, _local);
                }

                return ReceivedKind.None;
            }

            if (!RtpPacket.TryParse(datagram, out packet))
            {
                _invalid++;
                RtpMetrics.PacketsInvalid.Add(1);
                if (_warnings.TryAcquire(out _))
                {
                    RtpSessionLog.InvalidDatagram(_logger, datagram.Length, _local);
                }

                return ReceivedKind.None;
            }

            bool isAudio = packet.PayloadType == codec.PayloadType;
            bool isTelephoneEvent = packet.PayloadType == _telephoneEventPayloadType;
            bool isComfortNoise = packet.PayloadType == RtpSession.ComfortNoisePayloadType;
            if (!isAudio && !isTelephoneEvent && !isComfortNoise)
            {
                _wrongPayloadType++;
                RtpMetrics.Ignored(RtpMetrics.WrongPayloadType);
                return ReceivedKind.None;
            }

            if (_latchedAddress is null)
            {
                Latch(source);
            }

            if (_ssrc != packet.Ssrc)
            {
                sourceChanged = _ssrc is not null;
                if (sourceChanged)
                {
                    _sourceChanges++;
                }

                _ssrc = packet.Ssrc;
                _sequence.Reset();
            }

            long now = _time.GetTimestamp();
            Interlocked.Exchange(ref _lastPacketTimestamp, now);
            _received++;
            RtpMetrics.PacketsReceived.Add(1);
            if (!_sequence.UpdateSequence(packet.SequenceNumber))
            {
                _outOfSequence++;
                RtpMetrics.Ignored(RtpMetrics.OutOfSequence);
                return ReceivedKind.None;
            }

            if (isTelephoneEvent)
            {
                // RFC 4733 events repeat one timestamp per event, so they are kept out of the jitter estimate.
                _telephoneEvents++;
                TelephoneEvents?.OnPacket(packet.Ssrc, packet.Timestamp, packet.Payload);
                RtpMetrics.Ignored(RtpMetrics.TelephoneEvent);
                return ReceivedKind.None;
            }

            if (isComfortNoise)
            {
                // RFC 3389 §4: at least the noise level octet; the spectral octets that may follow are not used.
                _comfortNoisePackets++;
                return packet.Payload.IsEmpty ? ReceivedKind.None : ReceivedKind.ComfortNoise;
            }

            var arrival = _time.GetElapsedTime(_startTimestamp, now);
            _sequence.UpdateJitter(packet.Timestamp, unchecked((uint)(arrival.Ticks * codec.ClockRate / TimeSpan.TicksPerSecond)));
            return packet.Payload.IsEmpty ? ReceivedKind.None : ReceivedKind.Audio;
        }
    }

    /// <summary>Latches onto the first valid packet's source and points the sender at it (RFC 4961). Under the lock.</summary>
    private void Latch(SocketAddress source)
    {
        var latched = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(latched.Buffer.Span);
        _latchedAddress = latched;
        var previous = _sender.Target.EndPoint;
        var endPoint = (IPEndPoint)previous.Create(latched);
        _sender.LatchTo(new RtpSendTarget(endPoint, latched));
        if (!endPoint.Equals(previous))
        {
            RtpSessionLog.Latched(_logger, _local, endPoint, previous);
        }
    }

    private enum ReceivedKind
    {
        None,
        Audio,
        ComfortNoise,
    }
}
