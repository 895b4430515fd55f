using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The RTP media stream of one call: receives, validates and decodes the peer's audio and hands it to an
/// <see cref="IRtpAudioSink"/>; encodes and sends audio back. Sends to the SDP address until the first valid
/// packet arrives, then latches to that packet's source and ignores all others (symmetric RTP, RFC 4961).
/// Received audio passes an <see cref="AdaptiveJitterBuffer"/>, so the sink gets frames in order, gaps concealed or
/// filled (see RtpSession.Receive.cs and RtpSession.Playout.cs).
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
    private long _lastWarningTimestamp;

    private readonly Lock _sendGate = new();
    private readonly byte[] _sendBuffer = new byte[RtpPacket.FixedHeaderLength + MaxSamplesPerPacket + SrtpTransform.AuthTagLength];
    private readonly SrtpSession? _srtp;
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
    /// <param name="jitterBufferOptions">Jitter buffer tuning; defaults when null.</param>
    /// <param name="playoutTicker">Drives playout when no packets arrive; the process-wide one for the system clock.</param>
    /// <param name="srtp">SDES keys when the call's media is SRTP (RFC 3711): every packet sent is protected, and only
    /// authenticated, non-replayed packets are received; null for plain RTP.</param>
    /// <param name="srtpOffered">Our key when we made an SDES offer that is not answered yet (delayed offer, RFC 4568
    /// §7.1): packets are protected with it and nothing is received until <see cref="CompleteSrtp"/>.</param>
    public RtpSession(
        RtpPortLease lease,
        IAudioCodec codec,
        IPEndPoint remoteEndPoint,
        IRtpAudioSink sink,
        ILogger<RtpSession>? logger = null,
        int? telephoneEventPayloadType = null,
        TimeProvider? timeProvider = null,
        JitterBufferOptions? jitterBufferOptions = null,
        RtpPlayoutTicker? playoutTicker = null,
        SrtpKeys? srtp = null,
        SrtpMasterKey? srtpOffered = null)
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
        _jitterBufferOptions = jitterBufferOptions ?? new JitterBufferOptions();
        _jitterBuffer = new AdaptiveJitterBuffer(_jitterBufferOptions, codec.ClockRate);
        if (playoutTicker is null && !ReferenceEquals(_timeProvider, TimeProvider.System))
        {
            // A test clock needs its own ticker; production sessions share one timer.
            _ownedTicker = new RtpPlayoutTicker(_timeProvider);
        }

        _playoutTicker = playoutTicker ?? _ownedTicker ?? RtpPlayoutTicker.Shared;
        _sendTarget = new RtpSendTarget(remoteEndPoint);
        _srtp = srtp is not null ? new SrtpSession(srtp) : srtpOffered is not null ? SrtpSession.Offered(srtpOffered) : null;

        // RFC 3550 §5.1: random initial sequence number, timestamp and SSRC make known-plaintext attacks harder.
        _sendSsrc = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        _sendSequence = (ushort)RandomNumberGenerator.GetInt32(0, 1 << 16);
        _sendTimestamp = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
    }

    /// <summary>Whether the media is SRTP (keys agreed by SDES).</summary>
    public bool IsSecure => _srtp is not null;

    /// <summary>
    /// Installs the peer's key from the answer to our SDES offer (RFC 4568 §7.1.3); true when the media is now secured
    /// both ways. False for plain RTP, for keys that do not carry the key we offered, or for a second, different peer
    /// key (the media cannot re-key mid-call).
    /// </summary>
    public bool CompleteSrtp(SrtpKeys keys) => _srtp?.TryComplete(keys) ?? false;

    /// <summary>SRTP packets dropped so far: authentication failures, replays and malformed packets (RFC 3711 §3.3).</summary>
    public long SrtpPacketsDropped => Interlocked.Read(ref _srtpDropped);

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
        _playoutTicker.Register(this);
    }

    /// <summary>Takes a consistent snapshot of the counters (waits for a frame being handed to the sink).</summary>
    public RtpSessionStatistics GetStatistics()
    {
        lock (_receiveGate)
        lock (_playoutGate)
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
                PacketsLost: _sequence.LostClamped,
                PacketsDuplicated: _sequence.Surplus,
                Jitter: TimeSpan.FromTicks(_sequence.Jitter * TimeSpan.TicksPerSecond / _codec.ClockRate),
                PacketsSent: Interlocked.Read(ref _sent),
                SendErrors: Interlocked.Read(ref _sendErrors),
                ComfortNoisePackets: _comfortNoisePackets,
                SourceChanges: _sourceChanges,
                FramesConcealed: _framesConcealed,
                FramesSilent: _framesSilent,
                JitterBuffer: _jitterBuffer.GetStatistics());
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
                    _sendBuffer.AsSpan(0, Secure(RtpPacket.FixedHeaderLength + payloadLength)),
                    SocketFlags.None,
                    target.Address);
                _sent++;
                _sentOctets += payloadLength;
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

        if (_rtcp is not null)
        {
            await _rtcp.DisposeAsync(); // RFC 3550 §6.6: BYE goes out while the RTCP socket is still open.
        }

        _playoutTicker.Unregister(this);
        await _stopping.CancelAsync();
        _lease.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _telephoneEventReceiver?.Dispose();
        lock (_sendGate)
        {
            // Under the send lock, so no send is half-way through the transform; later sends fail as disposed.
            _srtp?.Dispose();
        }

        _stopping.Dispose();
        _ownedTicker?.Dispose();
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
                    lock (_playoutGate)
                    {
                        // A stateful codec's state belongs to the stream it coded, and timestamps of another codec
                        // are a new timeline: both start afresh, so nothing buffered is decoded with the wrong codec.
                        _codec = codec.CreateSession();
                        _encoder = new NarrowbandFrameEncoder(_codec, MaxSamplesPerPacket);
                        _jitterBuffer = new AdaptiveJitterBuffer(_jitterBufferOptions, _codec.ClockRate);
                        _lastPcmLength = 0;
                    }
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

    /// <summary>
    /// Protects the packet in the send buffer when the call is SRTP (RFC 3711 §3.3) and returns the length to send.
    /// Called under the send lock; a disposed transform throws <see cref="ObjectDisposedException"/>, which the caller
    /// counts as a send error.
    /// </summary>
    private int Secure(int length)
    {
        if (_srtp is null)
        {
            return length;
        }

        var secured = _srtp.RtpOut.Protect(_sendBuffer, length);
        return secured >= 0 ? secured : throw new ObjectDisposedException(nameof(SrtpTransform), "The RTP packet could not be protected.");
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
