using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Rtcp;
using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The RTP media stream of one call: receives, validates and decodes the peer's audio and hands it to an
/// <see cref="IRtpAudioSink"/>; encodes and sends audio back. Sends to the SDP address until the first valid
/// packet arrives, then latches to that packet's source and ignores all others (symmetric RTP, RFC 4961).
/// Received audio passes an <see cref="AdaptiveJitterBuffer"/>, so the sink gets frames in order, gaps concealed or
/// filled. The work is done by three parts with a lock each: <see cref="RtpReceiver"/> (the receive loop and
/// validation), <see cref="RtpPlayout"/> (jitter buffer and decoding) and <see cref="RtpSender"/> (encoding and
/// sending); this type owns the port, wires them together and is what the call and RTCP see.
/// </summary>
public sealed class RtpSession : IRtpAudioSender, IRtcpMediaStream, IAsyncDisposable
{
    /// <summary>Samples in one 20 ms G.711 frame, the default packetisation (RFC 3551 §4.5).</summary>
    public const int SamplesPerFrame = 160;

    /// <summary>The largest frame <see cref="SendAudio"/> accepts (150 ms), keeping datagrams under a 1500 MTU.</summary>
    public const int MaxSamplesPerPacket = 1200;

    /// <summary>RFC 3551 §6: static payload type of RFC 3389 comfort noise ("CN"), valid whether negotiated or not.</summary>
    public const int ComfortNoisePayloadType = 13;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly RtpPortLease _lease;
    private readonly ILogger _logger;
    private readonly int? _telephoneEventPayloadType;
    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SrtpSession? _srtp;
    private readonly RtpSender _sender;
    private readonly RtpPlayout _playout;
    private readonly RtpReceiver _receiver;
    private readonly RtpPlayoutTicker _playoutTicker;
    private readonly RtpPlayoutTicker? _ownedTicker;
    private IAudioCodec _codec;
    private RtcpSession? _rtcp;
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
        _codec = codec.CreateSession();
        _logger = logger ?? NullLogger<RtpSession>.Instance;
        _telephoneEventPayloadType = telephoneEventPayloadType;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _startTimestamp = _timeProvider.GetTimestamp();
        if (playoutTicker is null && !ReferenceEquals(_timeProvider, TimeProvider.System))
        {
            // A test clock needs its own ticker; production sessions share one timer.
            _ownedTicker = new RtpPlayoutTicker(_timeProvider);
        }

        _playoutTicker = playoutTicker ?? _ownedTicker ?? RtpPlayoutTicker.Shared;
        _srtp = srtp is not null ? new SrtpSession(srtp) : srtpOffered is not null ? SrtpSession.Offered(srtpOffered) : null;
        var warnings = new LogRateLimiter(WarningInterval, _timeProvider);
        _sender = new RtpSender(lease.Socket, _codec, remoteEndPoint, _srtp, _logger, warnings);
        _playout = new RtpPlayout(
            _codec, RtpReceiver.MaxSamplesPerDatagram, sink, jitterBufferOptions ?? new JitterBufferOptions(),
            () => _timeProvider.GetElapsedTime(_startTimestamp), lease.LocalEndPoint, _logger, warnings);
        _receiver = new RtpReceiver(
            lease.Socket, _codec, _srtp, _sender, _playout, telephoneEventPayloadType, _timeProvider, _startTimestamp, lease.LocalEndPoint, _logger, warnings);
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
    public long SrtpPacketsDropped => _receiver.SrtpDropped;

    /// <summary>The local RTP address and port (advertise the port in SDP).</summary>
    public IPEndPoint LocalEndPoint => _lease.LocalEndPoint;

    /// <summary>The negotiated codec.</summary>
    public IAudioCodec Codec => _codec;

    /// <summary>Where audio is sent: the latched source once known, the SDP address before.</summary>
    public IPEndPoint RemoteEndPoint => _sender.Target.EndPoint;

    /// <summary>Whether the session has latched onto the peer's actual source address.</summary>
    public bool IsLatched => _sender.Target.Latched;

    /// <summary>The SSRC this session sends with.</summary>
    public uint SendSsrc => _sender.Ssrc;

    /// <summary>The negotiated telephone-event payload type, if any.</summary>
    public int? TelephoneEventPayloadType => _telephoneEventPayloadType;

    /// <summary>The RTCP session on port + 1, once <see cref="StartRtcp"/> ran and the lease had an RTCP socket.</summary>
    public RtcpSession? Rtcp => _rtcp;

    /// <inheritdoc />
    int IRtcpMediaStream.ClockRate => _codec.ClockRate;

    /// <summary>
    /// Time since the last valid packet from the peer (since the session was created if none yet); the basis for
    /// a media timeout.
    /// </summary>
    public TimeSpan TimeSinceLastPacket
    {
        get
        {
            long last = _receiver.LastPacketTimestamp;
            return _timeProvider.GetElapsedTime(last == 0 ? _startTimestamp : last);
        }
    }

    /// <summary>The RTP timestamp the next audio frame would carry: an event starting now takes it (RFC 4733 §2.5.1.1).</summary>
    internal uint NextSendTimestamp => _sender.NextTimestamp;

    /// <summary>
    /// Reports the peer's RFC 4733 key presses to <paramref name="sink"/>; a no-op when no telephone-event payload type
    /// was negotiated. Call before <see cref="Start"/>.
    /// </summary>
    public void ReceiveTelephoneEvents(IDtmfSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_telephoneEventPayloadType is not null)
        {
            // RFC 4733 §7.1.1: telephone-event normally runs at the audio clock; 8000 for every codec offered here.
            _receiver.TelephoneEvents = new TelephoneEventReceiver(sink, 8000, _timeProvider);
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

        _receiveLoop = Task.Run(() => _receiver.RunAsync(_stopping.Token));
        _playoutTicker.Register(_playout);
    }

    /// <summary>
    /// Starts sending and receiving RTCP on the lease's second socket (RFC 3550 §11: RTP port + 1); a no-op when the
    /// lease has none. The RTCP session ends, with a BYE, when this session is disposed.
    /// </summary>
    public void StartRtcp(ILogger<RtcpSession>? logger = null, TimeSpan? reportInterval = null)
    {
        if (_lease.RtcpSocket is null || _rtcp is not null)
        {
            return;
        }

        _rtcp = new RtcpSession(_lease.RtcpSocket, this, logger, _timeProvider, reportInterval, _srtp);
        _rtcp.Start();
    }

    /// <summary>
    /// Takes a snapshot of the counters: the receive side's, then the playout side's (which waits for a frame being
    /// handed to the sink), so a frame the sink has seen is always counted as received.
    /// </summary>
    public RtpSessionStatistics GetStatistics()
    {
        var statistics = _receiver.FillStatistics(default);
        var playout = _playout.GetStatistics();
        return statistics with
        {
            FramesDelivered = playout.Delivered,
            FramesConcealed = playout.Concealed,
            FramesSilent = playout.Silent,
            JitterBuffer = playout.JitterBuffer,
            PacketsSent = _sender.Sent,
            SendErrors = _sender.Errors,
        };
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

        return _sender.SendAudio(pcm8k, marker);
    }

    /// <summary>
    /// Applies a renegotiated session (RFC 3264 §8): new codec, new peer address (latching starts over, since the
    /// peer may have moved) and whether we may send at all (false while the peer holds the call: sendonly/inactive).
    /// A stateful codec's state belongs to the stream it coded, and timestamps of another codec are a new timeline: a
    /// new codec starts both afresh.
    /// </summary>
    public void UpdateRemote(IPEndPoint remoteEndPoint, IAudioCodec codec, bool send)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        ArgumentNullException.ThrowIfNull(codec);
        IAudioCodec? changed = null;
        if (codec.EncodingName != _codec.EncodingName)
        {
            changed = codec.CreateSession();
            _codec = changed;
        }

        _receiver.Reconfigure(changed, remoteEndPoint, send);
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

        _playoutTicker.Unregister(_playout);
        await _stopping.CancelAsync();
        _lease.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _receiver.TelephoneEvents?.Dispose();
        _sender.DisposeSrtp();
        _stopping.Dispose();
        _ownedTicker?.Dispose();
    }

    /// <summary>Moves the audio clock on by <paramref name="samples"/> without sending (a pause between events).</summary>
    internal void AdvanceSendTimestamp(uint samples) => _sender.AdvanceTimestamp(samples);

    /// <summary>
    /// Sends one non-audio payload on this session's SSRC and sequence space with an explicit timestamp
    /// (RFC 4733 packets repeat the event's start timestamp).
    /// </summary>
    /// <param name="advanceTimestamp">Samples to move the audio clock on afterwards, so audio resumes after the event.</param>
    internal bool SendPayload(int payloadType, bool marker, uint timestamp, ReadOnlySpan<byte> payload, uint advanceTimestamp = 0) =>
        _sender.SendPayload(payloadType, marker, timestamp, payload, advanceTimestamp);

    /// <inheritdoc />
    RtpReceptionSnapshot IRtcpMediaStream.GetReceptionSnapshot() => _receiver.ReceptionSnapshot();

    /// <inheritdoc />
    RtpSenderSnapshot IRtcpMediaStream.GetSenderSnapshot() => _sender.Snapshot();
}
