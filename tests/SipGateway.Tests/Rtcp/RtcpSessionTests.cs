using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtcp;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtcp;

public sealed class RtcpSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private FakeMediaStream _media = null!;
    private RtcpSession _session = null!;

    public Task InitializeAsync()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _time.Advance(TimeSpan.FromDays(20_000)); // a wallclock well after 1970
        var peerPort = ((IPEndPoint)_peer.Client.LocalEndPoint!).Port;

        // RTCP goes to the RTP port + 1, so the "RTP" address is one below the peer's socket.
        _media = new FakeMediaStream(new IPEndPoint(IPAddress.Loopback, peerPort - 1));
        // The report timer is kept out of the way (an hour) so each test decides when reports go out.
        _session = new RtcpSession(_socket, _media, null, _time, TimeSpan.FromHours(1));
        _session.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _socket.Dispose();
        _peer.Dispose();
    }

    [Fact]
    public async Task Round_trip_time_is_arrival_minus_lsr_minus_dlsr_on_the_session_clock()
    {
        _media.Sender = new RtpSenderSnapshot(10, 1600, 4242);
        Assert.True(_session.SendReport());
        var sr = await ReceiveAsync();
        var reader = new RtcpCompoundReader(sr);
        Assert.True(reader.MoveNext());
        Assert.True(reader.Current.TryGetSenderInfo(out var info));
        Assert.Equal(new RtcpSenderInfo(NtpTime.FromDateTime(_time.GetUtcNow()), 4242, 10, 1600), info);

        // The peer holds our SR for 100 ms and its reply reaches us 350 ms after we sent: RTT 250 ms.
        _time.Advance(TimeSpan.FromMilliseconds(350));
        await SendReceiverReportAsync(new RtcpReportBlock(_media.SendSsrc, 64, 3, 70_000, 160, info.CompactNtp, NtpTime.ToCompactDuration(TimeSpan.FromMilliseconds(100))));

        var statistics = await WaitForAsync(s => s.RoundTripTime is not null);
        Assert.Equal(250, statistics.RoundTripTime!.Value.TotalMilliseconds, 0.1);
        Assert.Equal(0.25, statistics.PeerFractionLost);
        Assert.Equal(3L, statistics.PeerCumulativeLost);
        Assert.Equal(TimeSpan.FromMilliseconds(20), statistics.PeerJitter);
    }

    [Fact]
    public async Task Reports_fraction_lost_per_interval_and_cumulative_loss_with_lsr_and_dlsr_of_the_peers_sr()
    {
        _media.Reception = new RtpReceptionSnapshot(true, 0xC0FFEE, 65_636, Expected: 100, Received: 90, Jitter: 37);
        Assert.True(_session.SendReport());
        var first = RtcpReportBlock.Read(FirstPacketBlocks(await ReceiveAsync(), RtcpPacketType.ReceiverReport));
        Assert.Equal(new RtcpReportBlock(0xC0FFEE, 25, 10, 65_636, 37, 0, 0), first);

        // The peer's SR arrives; 1.5 s later we report again: 40 more expected, 38 received (5 % lost this interval).
        var ntp = NtpTime.FromDateTime(_time.GetUtcNow());
        await SendAsync((ref RtcpCompoundWriter writer) => writer.WriteSenderReport(0xC0FFEE, new RtcpSenderInfo(ntp, 1, 1, 1), []));
        await WaitForAsync(s => s.PacketsReceived == 1);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        _media.Reception = new RtpReceptionSnapshot(true, 0xC0FFEE, 65_676, Expected: 140, Received: 128, Jitter: 40);
        Assert.True(_session.SendReport());
        var second = RtcpReportBlock.Read(FirstPacketBlocks(await ReceiveAsync(), RtcpPacketType.ReceiverReport));
        Assert.Equal(new RtcpReportBlock(0xC0FFEE, 2 * 256 / 40, 12, 65_676, 40, NtpTime.ToCompact(ntp), 0x00018000), second);
    }

    [Fact]
    public async Task Garbage_is_counted_and_ignored_and_a_bye_is_noted()
    {
        await _peer.SendAsync(new byte[] { 1, 2, 3 }, (IPEndPoint)_socket.LocalEndPoint!);
        await _peer.SendAsync(new byte[] { 0x81, 202, 0, 1, 0, 0, 0, 1 }, (IPEndPoint)_socket.LocalEndPoint!); // SDES first
        await SendAsync((ref RtcpCompoundWriter writer) =>
        {
            writer.WriteReceiverReport(7, []);
            writer.WriteGoodbye(7);
        });

        var statistics = await WaitForAsync(s => s.PeerSentGoodbye);
        Assert.Equal(2, statistics.PacketsInvalid);
        Assert.Equal(1, statistics.PacketsReceived);
        Assert.Null(statistics.RoundTripTime);
    }

    [Fact]
    public async Task Reports_from_another_host_than_the_rtp_peer_are_dropped()
    {
        // Linux routes all of 127/8 to loopback, so 127.0.0.2 is a second host on this machine.
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var buffer = new byte[64];
        int length = Write(buffer, (ref RtcpCompoundWriter writer) => writer.WriteReceiverReport(7, [new RtcpReportBlock(_media.SendSsrc, 255, 1000, 0, 0, 0, 0)]));
        await stranger.SendAsync(buffer.AsMemory(0, length), (IPEndPoint)_socket.LocalEndPoint!);

        var statistics = await WaitForAsync(s => s.PacketsInvalid == 1);
        Assert.Equal(0, statistics.PacketsReceived);
        Assert.Null(statistics.PeerFractionLost);
    }

    [Fact]
    public async Task Dispose_sends_a_compound_ending_in_bye()
    {
        await _session.DisposeAsync();

        var datagram = await ReceiveAsync();
        var types = new List<byte>();
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
            types.Add(reader.Current.PacketType);
        }

        Assert.True(RtcpCompoundReader.Validate(datagram));
        Assert.Equal([RtcpPacketType.ReceiverReport, RtcpPacketType.SourceDescription, RtcpPacketType.Goodbye], types);
    }

    [Fact]
    public async Task Two_rtp_sessions_exchange_reports_over_loopback_and_learn_rtt_and_loss()
    {
        int basePort;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            basePort = ((IPEndPoint)probe.Client.LocalEndPoint!).Port & ~1;
        }

        var allocator = new RtpPortAllocator(Options.Create(new RtpOptions { PortMin = basePort, PortMax = basePort + 400, BindAddress = "127.0.0.1" }));
        Assert.True(allocator.TryAllocate(out var leaseA));
        Assert.True(allocator.TryAllocate(out var leaseB));
        Assert.Equal(leaseA.Port + 1, ((IPEndPoint)leaseA.RtcpSocket!.LocalEndPoint!).Port);
        var a = new RtpSession(leaseA, MuLawCodec.Instance, leaseB.LocalEndPoint, DiscardingAudioSink.Instance);
        var b = new RtpSession(leaseB, MuLawCodec.Instance, leaseA.LocalEndPoint, DiscardingAudioSink.Instance);
        try
        {
            a.Start();
            b.Start();
            a.StartRtcp(reportInterval: TimeSpan.FromMilliseconds(200));
            b.StartRtcp(reportInterval: TimeSpan.FromMilliseconds(200));
            var frame = new short[RtpSession.SamplesPerFrame];
            using var cts = new CancellationTokenSource(Timeout);
            while (a.Rtcp!.GetStatistics().RoundTripTime is null || b.Rtcp!.GetStatistics().RoundTripTime is null)
            {
                a.SendAudio(frame);
                b.SendAudio(frame);
                await Task.Delay(20, cts.Token);
            }

            var fromB = a.Rtcp.GetStatistics();
            Assert.InRange(fromB.RoundTripTime!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            Assert.Equal(0L, fromB.PeerCumulativeLost);
            Assert.Equal(0.0, fromB.PeerFractionLost);
            Assert.Equal(0, fromB.PacketsInvalid);

            await a.DisposeAsync();
            while (!b.Rtcp.GetStatistics().PeerSentGoodbye)
            {
                await Task.Delay(20, cts.Token);
            }
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static ReadOnlySpan<byte> FirstPacketBlocks(byte[] datagram, byte expectedType)
    {
        Assert.True(RtcpCompoundReader.Validate(datagram));
        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext());
        Assert.Equal(expectedType, reader.Current.PacketType);
        Assert.Equal(1, reader.Current.Count);
        return reader.Current.ReportBlocks.ToArray();
    }

    private async Task<byte[]> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        return (await _peer.ReceiveAsync(cts.Token)).Buffer;
    }

    private Task SendReceiverReportAsync(RtcpReportBlock block) =>
        SendAsync((ref RtcpCompoundWriter writer) => writer.WriteReceiverReport(0xC0FFEE, [block]));

    private async Task SendAsync(WriteAction write)
    {
        var buffer = new byte[512];
        int length = Write(buffer, write);
        await _peer.SendAsync(buffer.AsMemory(0, length), (IPEndPoint)_socket.LocalEndPoint!);
    }

    private static int Write(byte[] buffer, WriteAction write)
    {
        var writer = new RtcpCompoundWriter(buffer);
        write(ref writer);
        return writer.Length;
    }

    private async Task<RtcpStatistics> WaitForAsync(Func<RtcpStatistics, bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition(_session.GetStatistics()))
        {
            await Task.Delay(10, cts.Token);
        }

        return _session.GetStatistics();
    }

    private delegate void WriteAction(ref RtcpCompoundWriter writer);
}
