using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The RTP media stream of one call: receives, validates and decodes the peer's audio and hands it to an
/// <see cref="IRtpAudioSink"/>; encodes and sends audio back. Sends to the SDP address until the first valid
/// packet arrives, then latches to that packet's source and ignores all others (symmetric RTP, RFC 4961).
/// </summary>
public sealed partial class RtpSession : IRtpAudioSender, IAsyncDisposable
{
    /// <summary>Samples in one 20 ms G.711 frame, the default packetisation (RFC 3551 §4.5).</summary>
    public const int SamplesPerFrame = 160;

    /// <summary>The largest frame <see cref="SendAudio"/> accepts (150 ms), keeping datagrams under a 1500 MTU.</summary>
    public const int MaxSamplesPerPacket = 1200;

    private const int ReceiveBufferSize = 8192;
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly RtpPortLease _lease;
    private readonly Socket _socket;
    private IAudioCodec _codec;
    private readonly IRtpAudioSink _sink;
    private readonly ILogger _logger;
    private readonly int? _telephoneEventPayloadType;
    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;
    private readonly CancellationTokenSource _stopping = new();

    private readonly Lock _receiveGate = new();
    private readonly RtpSequenceStatistics _sequence = new();
    // Wideband codecs decode an octet into two samples (G.722), so the PCM buffer is twice the datagram size.
    private readonly short[] _pcm = new short[2 * ReceiveBufferSize];
    private SocketAddress? _latchedAddress;
    private uint? _ssrc;
    private long _received;
    private long _delivered;
    private long _invalid;
    private long _wrongPayloadType;
    private long _unexpectedSource;
    private long _telephoneEvents;
    private long _outOfSequence;
    private long _lastPacketTimestamp;
    private long _lastWarningTimestamp;

    private readonly Lock _sendGate = new();
    private readonly byte[] _sendBuffer = new byte[RtpPacket.FixedHeaderLength + MaxSamplesPerPacket];
    private readonly uint _sendSsrc;
    private NarrowbandFrameEncoder _encoder;
    private ushort _sendSequence;
    private uint _sendTimestamp;
    private long _sent;
    private long _sendErrors;
    private volatile RtpSendTarget _sendTarget;
    private volatile bool _sendSuspended;

    private Task? _receiveLoop;
    private int _disposed;

    /// <summary>Creates a session on a leased port; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="lease">The local port; the session owns it from now on and disposes it.</param>
    /// <param name="codec">The negotiated audio codec.</param>
    /// <param name="remoteEndPoint">The peer's address from its SDP (c= and m= lines): the initial send target.</param>
    /// <param name="sink">Receives decoded audio.</param>
    /// <param name="logger">Logger; warnings about bad input are rate-limited.</param>
    /// <param name="telephoneEventPayloadType">The negotiated RFC 4733 payload type, if any (counted, not played).</param>
    /// <param name="timeProvider">Clock for arrival times; <see cref="TimeProvider.System"/> by default.</param>
    public RtpSession(
        RtpPortLease lease,
        IAudioCodec codec,
        IPEndPoint remoteEndPoint,
        IRtpAudioSink sink,
        ILogger<RtpSession>? logger = null,
        int? telephoneEventPayloadType = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        ArgumentNullException.ThrowIfNull(sink);
        _lease = lease;
        _socket = lease.Socket;
        _codec = codec.CreateSession();
        _encoder = new NarrowbandFrameEncoder(_codec, MaxSamplesPerPacket);
        _sink = sink;
        _logger = logger ?? NullLogger<RtpSession>.Instance;
        _telephoneEventPayloadType = telephoneEventPayloadType;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _startTimestamp = _timeProvider.GetTimestamp();
        _sendTarget = new RtpSendTarget(remoteEndPoint);

        // RFC 3550 §5.1: random initial sequence number, timestamp and SSRC make known-plaintext attacks harder.
        _sendSsrc = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        _sendSequence = (ushort)RandomNumberGenerator.GetInt32(0, 1 << 16);
        _sendTimestamp = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
    }

    /// <summary>The local RTP address and port (advertise the port in SDP).</summary>
    public IPEndPoint LocalEndPoint => _lease.LocalEndPoint;

    /// <summary>The negotiated codec.</summary>
    public IAudioCodec Codec => _codec;

    /// <summary>Where audio is sent: the latched source once known, the SDP address before.</summary>
    public IPEndPoint RemoteEndPoint => _sendTarget.EndPoint;

    /// <summary>Whether the session has latched onto the peer's actual source address.</summary>
    public bool IsLatched => _sendTarget.Latched;

    /// <summary>The SSRC this session sends with.</summary>
    public uint SendSsrc => _sendSsrc;

    /// <summary>
    /// Time since the last valid packet from the peer (since the session was created if none yet); the basis for
    /// a media timeout.
    /// </summary>
    public TimeSpan TimeSinceLastPacket
    {
        get
        {
            long last = Interlocked.Read(ref _lastPacketTimestamp);
            return _timeProvider.GetElapsedTime(last == 0 ? _startTimestamp : last);
        }
    }

    /// <summary>Starts the receive loop.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("The RTP session is already started.");
        }

        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stopping.Token));
    }

    /// <summary>Takes a consistent snapshot of the counters.</summary>
    public RtpSessionStatistics GetStatistics()
    {
        lock (_receiveGate)
        {
            return new RtpSessionStatistics(
                PacketsReceived: _received,
                FramesDelivered: _delivered,
                PacketsInvalid: _invalid,
                PacketsWrongPayloadType: _wrongPayloadType,
                PacketsFromUnexpectedSource: _unexpectedSource,
                TelephoneEventPackets: _telephoneEvents,
                PacketsOutOfSequence: _outOfSequence,
                PacketsExpected: _sequence.Expected,
                PacketsLost: _sequence.Lost,
                Jitter: TimeSpan.FromTicks(_sequence.Jitter * TimeSpan.TicksPerSecond / _codec.ClockRate),
                PacketsSent: Interlocked.Read(ref _sent),
                SendErrors: Interlocked.Read(ref _sendErrors));
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Thread-safe; the sequence number advances by one and the timestamp by the sample count (§5.1). Nothing is sent
    /// (false) while the target is unspecified (0.0.0.0 or port 0, i.e. on hold) and nothing has been latched.
    /// </remarks>
    /// <exception cref="ArgumentException">The frame is empty or longer than <see cref="MaxSamplesPerPacket"/>.</exception>
    public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
    {
        if (pcm8k.IsEmpty || pcm8k.Length > MaxSamplesPerPacket)
        {
            throw new ArgumentException($"A frame holds 1 to {MaxSamplesPerPacket} samples.", nameof(pcm8k));
        }

        lock (_sendGate)
        {
            RtpPacketWriter.WriteHeader(_sendBuffer, marker, _codec.PayloadType, _sendSequence, _sendTimestamp, _sendSsrc);
            int payloadLength = _encoder.Encode(pcm8k, _sendBuffer.AsSpan(RtpPacket.FixedHeaderLength));
            _sendSequence++;

            // Every codec here has an 8000 Hz RTP clock, G.722 included (RFC 3551 §4.5.2): one 8 kHz sample, one tick.
            _sendTimestamp += (uint)pcm8k.Length;
            var target = _sendTarget;
            if (target.IsUnspecified || _sendSuspended)
            {
                // RFC 3264 §8.4: c=0.0.0.0 puts the stream on hold; the clock still runs so timestamps stay continuous.
                return false;
            }

            try
            {
                _socket.SendTo(
                    _sendBuffer.AsSpan(0, RtpPacket.FixedHeaderLength + payloadLength),
                    SocketFlags.None,
                    target.Address);
                _sent++;
                RtpMetrics.PacketsSent.Add(1);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _sendErrors++;
                if (ShouldWarn())
                {
                    LogSendFailed(_logger, ex, target.EndPoint);
                }

                return false;
            }
        }
    }

    /// <summary>Stops receiving and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _lease.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var source = new SocketAddress(_socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, source, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // E.g. ICMP port unreachable surfacing as ConnectionReset; the socket itself stays usable.
                if (ShouldWarn())
                {
                    LogReceiveFailed(_logger, ex, LocalEndPoint);
                }

                await DelayAfterErrorAsync(cancellationToken);
                continue;
            }

            try
            {
                OnDatagram(buffer.AsSpan(0, length), source);
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

    private void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        // The sink runs outside the lock so a slow consumer never blocks GetStatistics; _pcm is only used here.
        if (TryAcceptAudio(datagram, source, out int samples, out int sampleRate, out uint rtpTimestamp, out var arrival))
        {
            _sink.OnAudio(_pcm.AsSpan(0, samples), sampleRate, rtpTimestamp, arrival);
        }
    }

    private bool TryAcceptAudio(
        ReadOnlySpan<byte> datagram,
        SocketAddress source,
        out int samples,
        out int sampleRate,
        out uint rtpTimestamp,
        out TimeSpan arrival)
    {
        samples = 0;
        sampleRate = 0;
        rtpTimestamp = 0;
        arrival = default;
        lock (_receiveGate)
        {
            if (_latchedAddress is not null && !_latchedAddress.Equals(source))
            {
                _unexpectedSource++;
                RtpMetrics.Ignored(RtpMetrics.UnexpectedSource);
                return false;
            }

            if (!RtpPacket.TryParse(datagram, out var packet))
            {
                _invalid++;
                RtpMetrics.PacketsInvalid.Add(1);
                if (ShouldWarn())
                {
                    LogInvalidDatagram(_logger, datagram.Length, LocalEndPoint);
                }

                return false;
            }

            bool isAudio = packet.PayloadType == _codec.PayloadType;
            bool isTelephoneEvent = packet.PayloadType == _telephoneEventPayloadType;
            if (!isAudio && !isTelephoneEvent)
            {
                _wrongPayloadType++;
                RtpMetrics.Ignored(RtpMetrics.WrongPayloadType);
                return false;
            }

            if (_latchedAddress is null)
            {
                Latch(source);
            }

            if (_ssrc != packet.Ssrc)
            {
                // RFC 3550 §8.2: a new SSRC is a new source; its sequence space starts afresh.
                _ssrc = packet.Ssrc;
                _sequence.Reset();
            }

            long now = _timeProvider.GetTimestamp();
            Interlocked.Exchange(ref _lastPacketTimestamp, now);
            _received++;
            RtpMetrics.PacketsReceived.Add(1);
            if (!_sequence.UpdateSequence(packet.SequenceNumber))
            {
                _outOfSequence++;
                RtpMetrics.Ignored(RtpMetrics.OutOfSequence);
                return false;
            }

            if (isTelephoneEvent)
            {
                // RFC 4733 events repeat one timestamp per event, so they are kept out of the jitter estimate.
                _telephoneEvents++;
                RtpMetrics.Ignored(RtpMetrics.TelephoneEvent);
                return false;
            }

            arrival = _timeProvider.GetElapsedTime(_startTimestamp, now);
            _sequence.UpdateJitter(packet.Timestamp, unchecked((uint)(arrival.Ticks * _codec.ClockRate / TimeSpan.TicksPerSecond)));

            if (packet.Payload.IsEmpty)
            {
                return false;
            }

            rtpTimestamp = packet.Timestamp;
            samples = _codec.Decode(packet.Payload, _pcm);
            sampleRate = _codec.SampleRate;
            _delivered++;
            return true;
        }
    }

    /// <summary>
    /// Applies a renegotiated session (RFC 3264 §8): new codec, new peer address (latching starts over, since the
    /// peer may have moved) and whether we may send at all (false while the peer holds the call: sendonly/inactive).
    /// Takes the receive lock first, then the send lock, so neither loop sees half an update.
    /// </summary>
    public void UpdateRemote(IPEndPoint remoteEndPoint, IAudioCodec codec, bool send)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        ArgumentNullException.ThrowIfNull(codec);
        lock (_receiveGate)
        {
            lock (_sendGate)
            {
                if (codec.EncodingName != _codec.EncodingName)
                {
                    // A stateful codec's state belongs to the stream it coded; a new codec starts fresh.
                    _codec = codec.CreateSession();
                    _encoder = new NarrowbandFrameEncoder(_codec, MaxSamplesPerPacket);
                }

                _sendSuspended = !send;
                if (!remoteEndPoint.Equals(_sendTarget.EndPoint))
                {
                    _latchedAddress = null;
                    _sendTarget = new RtpSendTarget(remoteEndPoint);
                }
            }
        }
    }

    private void Latch(SocketAddress source)
    {
        var latched = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(latched.Buffer.Span);
        _latchedAddress = latched;
        var endPoint = (IPEndPoint)_sendTarget.EndPoint.Create(latched);
        var previous = _sendTarget.EndPoint;
        _sendTarget = new RtpSendTarget(endPoint, latched);
        if (!endPoint.Equals(previous))
        {
            LogLatched(_logger, LocalEndPoint, endPoint, previous);
        }
    }

    private async Task DelayAfterErrorAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Keeps a persistently failing socket from spinning a core.
            await Task.Delay(TimeSpan.FromMilliseconds(10), _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Allows one warning per <see cref="WarningInterval"/> so a flood of bad packets cannot flood the log.</summary>
    private bool ShouldWarn()
    {
        long now = _timeProvider.GetTimestamp();
        long last = Interlocked.Read(ref _lastWarningTimestamp);
        if (last != 0 && _timeProvider.GetElapsedTime(last, now) < WarningInterval)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _lastWarningTimestamp, now, last) == last;
    }
}
