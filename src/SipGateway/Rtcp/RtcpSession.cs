using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>
/// RTCP for one two-party RTP session (RFC 3550 §6): every reporting interval sends an SR (if we sent RTP since the
/// last report) or an RR, each with SDES CNAME and a report block on the peer's stream; parses the peer's reports for
/// the loss and jitter it sees on our stream and the round-trip time (§6.4.1); sends BYE when disposed (§6.6).
/// </summary>
/// <remarks>
/// Interval rules, simplified for two participants (§6.2, §6.3): the deterministic interval is the configured
/// 5 s minimum (two members' bandwidth share never exceeds it at telephony rates), randomised by a factor in
/// [0.5, 1.5] as §6.3.1 requires against synchronisation, and the first report waits half an interval (§6.2, "initial
/// ... half the minimum"). Timer reconsideration and BYE back-off (§6.3.3, §6.3.7) only matter for large groups and are
/// left out. Reports go to the peer's RTP address with port + 1 (§11), or to the address the peer's RTCP came from
/// once it has sent some (symmetric RTCP, RFC 4961); RTCP from any other host is dropped as invalid. SDP a=rtcp (RFC 3605) and rtcp-mux (RFC 5761) are not honoured.
/// </remarks>
public sealed partial class RtcpSession : IAsyncDisposable
{
    /// <summary>The reporting interval before randomisation (§6.2: "the recommended value ... is 5 seconds").</summary>
    public static readonly TimeSpan DefaultReportInterval = TimeSpan.FromSeconds(5);

    private const int BufferSize = 1500;
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly IRtcpMediaStream _media;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LogRateLimiter _warnings;
    private readonly TimeSpan _interval;
    private readonly string _cname;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SrtpSession? _srtp;
    private readonly byte[] _sendBuffer = new byte[BufferSize];
    private readonly RtcpReportBlock[] _blocks = new RtcpReportBlock[1];

    private readonly Lock _gate = new();
    private SocketAddress? _peerAddress;
    private uint _reportedSsrc;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _packetsSentPrior;
    private uint _lastSenderReport;
    private long _lastSenderReportArrival;
    private long _sent;
    private long _received;
    private long _invalid;
    private double? _peerFractionLost;
    private long? _peerCumulativeLost;
    private TimeSpan? _peerJitter;
    private TimeSpan? _roundTrip;
    private bool _peerGoodbye;

    private Task? _receiveLoop;
    private Task? _sendLoop;
    private int _disposed;

    /// <param name="srtp">When the call is secured, reports go out as SRTCP and only authenticated SRTCP is read (RFC 3711 §3.4).</param>
    internal RtcpSession(Socket socket, IRtcpMediaStream media, ILogger<RtcpSession>? logger, TimeProvider? time, TimeSpan? reportInterval, SrtpSession? srtp = null)
    {
        _srtp = srtp;
        _socket = socket;
        _media = media;
        _logger = logger ?? NullLogger<RtcpSession>.Instance;
        _time = time ?? TimeProvider.System;
        _warnings = new LogRateLimiter(WarningInterval, _time);
        _interval = reportInterval ?? DefaultReportInterval;

        // RFC 7022 §4.2: a short-term random CNAME, so reports do not reveal user or host names.
        _cname = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
    }

    /// <summary>The local RTCP address.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The canonical name sent in SDES.</summary>
    public string CanonicalName => _cname;

    /// <summary>Starts the receive loop and the report timer.</summary>
    public void Start()
    {
        // ICMP port unreachable from a peer without RTCP surfaces as a socket error: the loop pauses and goes on.
        _receiveLoop ??= Task.Run(() => DatagramReceiveLoop.RunAsync(_socket, BufferSize, OnReceived, onSocketError: null, _time, _stopping.Token));
        _sendLoop ??= Task.Run(() => SendLoopAsync(_stopping.Token));
    }

    /// <summary>Takes a consistent snapshot of the counters and the peer's latest report.</summary>
    public RtcpStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new RtcpStatistics(_sent, _received, _invalid, _peerFractionLost, _peerCumulativeLost, _peerJitter, _roundTrip, _peerGoodbye);
        }
    }

    /// <summary>Sends one report now; the timer calls this, tests may too.</summary>
    /// <param name="goodbye">Append a BYE (§6.6): we leave the session.</param>
    public bool SendReport(bool goodbye = false)
    {
        int length;
        SocketAddress? target;
        lock (_gate)
        {
            length = BuildCompound(goodbye);
            target = _peerAddress;
            if (_srtp is not null)
            {
                length = _srtp.RtcpOut.Protect(_sendBuffer, length);
                if (length < 0)
                {
                    return false;
                }
            }
        }

        var remote = _media.RemoteEndPoint;
        if (target is null)
        {
            if (remote.Port == 0 || remote.Address.Equals(IPAddress.Any) || remote.Address.Equals(IPAddress.IPv6Any))
            {
                return false; // On hold (RFC 3264 §8.4): nowhere to report to.
            }

            target = new IPEndPoint(remote.Address, (remote.Port + 1) & 0xFFFF).Serialize();
        }

        try
        {
            _socket.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, target);
            lock (_gate)
            {
                _sent++;
            }

            RtcpMetrics.PacketsSent.Add(1);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            if (_warnings.TryAcquire(out _))
            {
                LogSendFailed(_logger, ex, LocalEndPoint);
            }

            return false;
        }
    }

    /// <summary>Stops the timer and the receive loop after sending a BYE.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_sendLoop is not null)
        {
            await _sendLoop;
        }

        SendReport(goodbye: true);
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _stopping.Dispose();
    }

    /// <summary>Handles one datagram from the RTCP port; invalid ones are counted and dropped (never throws).</summary>
    internal void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        if (!RtcpCompoundReader.Validate(datagram) || !FromPeerHost(source))
        {
            lock (_gate)
            {
                _invalid++;
            }

            RtcpMetrics.PacketsInvalid.Add(1);
            if (_warnings.TryAcquire(out _))
            {
                LogInvalid(_logger, datagram.Length, LocalEndPoint);
            }

            return;
        }

        long now = _time.GetTimestamp();
        uint arrival = NtpTime.ToCompact(NtpTime.FromDateTime(_time.GetUtcNow()));
        uint ourSsrc = _media.SendSsrc;
        lock (_gate)
        {
            _received++;
            if (_peerAddress is null || !_peerAddress.Equals(source))
            {
                var copy = new SocketAddress(source.Family, source.Size);
                source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
                _peerAddress = copy;
            }

            var reader = new RtcpCompoundReader(datagram);
            while (reader.MoveNext())
            {
                var packet = reader.Current;
                if (packet.TryGetSenderInfo(out var senderInfo))
                {
                    _lastSenderReport = senderInfo.CompactNtp;
                    _lastSenderReportArrival = now;
                }

                var blocks = packet.ReportBlocks;
                for (int offset = 0; offset < blocks.Length; offset += RtcpReportBlock.Length)
                {
                    var block = RtcpReportBlock.Read(blocks[offset..]);
                    if (block.Ssrc == ourSsrc)
                    {
                        OnReportAboutUs(block, arrival);
                    }
                }

                if (packet.PacketType == RtcpPacketType.Goodbye)
                {
                    _peerGoodbye = true;
                }
            }
        }

        RtcpMetrics.PacketsReceived.Add(1);
    }

    /// <summary>
    /// Only the RTP peer's host may report (its port may differ: NAT, or RFC 3605 a=rtcp we do not read), so a stranger
    /// cannot redirect our reports or feed fake loss figures into the statistics.
    /// </summary>
    private bool FromPeerHost(SocketAddress source)
    {
        var remote = _media.RemoteEndPoint;
        return remote.Address.Equals(IPAddress.Any) || ((IPEndPoint)remote.Create(source)).Address.Equals(remote.Address);
    }

    private void OnReportAboutUs(RtcpReportBlock block, uint arrival)
    {
        _peerFractionLost = block.FractionLost / 256.0;
        _peerCumulativeLost = block.CumulativeLost;
        _peerJitter = TimeSpan.FromTicks(block.Jitter * TimeSpan.TicksPerSecond / _media.ClockRate);
        RtcpMetrics.PeerFractionLost.Record(_peerFractionLost.Value);
        RtcpMetrics.PeerJitter.Record(_peerJitter.Value.TotalSeconds);
        if (NtpTime.RoundTrip(arrival, block.LastSenderReport, block.DelaySinceLastSenderReport) is { } rtt)
        {
            _roundTrip = rtt;
            RtcpMetrics.RoundTripTime.Record(rtt.TotalSeconds);
        }
    }

    private int BuildCompound(bool goodbye)
    {
        uint ssrc = _media.SendSsrc;
        var sending = _media.GetSenderSnapshot();
        int blockCount = BuildReportBlock();
        var writer = new RtcpCompoundWriter(_sendBuffer);

        // §6.4: a participant that sent RTP since the last report is a sender and sends an SR.
        if (sending.Packets > _packetsSentPrior)
        {
            var info = new RtcpSenderInfo(NtpTime.FromDateTime(_time.GetUtcNow()), sending.RtpTimestamp, unchecked((uint)sending.Packets), unchecked((uint)sending.Octets));
            writer.WriteSenderReport(ssrc, info, _blocks.AsSpan(0, blockCount));
        }
        else
        {
            writer.WriteReceiverReport(ssrc, _blocks.AsSpan(0, blockCount));
        }

        _packetsSentPrior = sending.Packets;
        writer.WriteSourceDescription(ssrc, _cname);
        if (goodbye)
        {
            writer.WriteGoodbye(ssrc);
        }

        return writer.Length;
    }

    private int BuildReportBlock()
    {
        var reception = _media.GetReceptionSnapshot();
        if (!reception.HasSource)
        {
            return 0;
        }

        if (reception.Ssrc != _reportedSsrc)
        {
            // A new source (§8.2): its counters started from zero.
            _reportedSsrc = reception.Ssrc;
            _expectedPrior = 0;
            _receivedPrior = 0;
        }

        // RFC 3550 A.3: the fraction lost covers only the interval since the previous report.
        long expectedInterval = reception.Expected - _expectedPrior;
        long lostInterval = expectedInterval - (reception.Received - _receivedPrior);
        _expectedPrior = reception.Expected;
        _receivedPrior = reception.Received;
        byte fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        uint delay = _lastSenderReport == 0 ? 0 : NtpTime.ToCompactDuration(_time.GetElapsedTime(_lastSenderReportArrival));
        _blocks[0] = new RtcpReportBlock(
            reception.Ssrc,
            fraction,
            (int)Math.Clamp(reception.Expected - reception.Received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost),
            unchecked((uint)reception.ExtendedHighestSequence),
            reception.Jitter,
            _lastSenderReport,
            delay);
        return 1;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        // §6.2: the first report after half the interval, so a new participant is announced quickly.
        var delay = _interval / 2;
        while (true)
        {
            try
            {
                // §6.3.1: randomise over [0.5, 1.5] × the interval so participants do not send in lockstep.
                await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            SendReport();
            delay = _interval;
        }
    }

    private void OnReceived(Span<byte> datagram, SocketAddress source)
    {
        if (_srtp is not null)
        {
            // RFC 3711 §3.4: unauthenticated or replayed SRTCP is dropped before any RTCP parsing.
            var result = _srtp.UnprotectRtcp(datagram, out var plainLength);
            if (result != SrtpUnprotectResult.Ok)
            {
                SrtpMetrics.Dropped(result, rtcp: true);
                return;
            }

            datagram = datagram[..plainLength];
        }

        OnDatagram(datagram, source);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTCP send from {Local} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalid RTCP datagram of {Length} bytes on {Local} (further ones within 10 s not logged)")]
    private static partial void LogInvalid(ILogger logger, int length, IPEndPoint local);
}
