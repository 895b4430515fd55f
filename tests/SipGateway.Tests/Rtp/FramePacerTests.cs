using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>A ten-minute call (30,000 frames of 20 ms) on a simulated clock.</summary>
public sealed class FramePacerTests
{
    private const int Frames = 30_000;
    private static readonly TimeSpan FrameTime = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Ten_minutes_leave_exactly_every_20_ms_with_timestamps_160_apart_on_the_wire()
    {
        var clock = new ManualTimeProvider();
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)peer.Client.LocalEndPoint!, DiscardingAudioSink.Instance);
        var sender = new TimedSender(session, clock);
        var packets = new List<(ushort Sequence, uint Timestamp, bool Marker)>(Frames);

        var play = new RtpAudioPlayer(sender, clock).PlayAsync(new short[Frames * RtpSession.SamplesPerFrame]);
        await ClockDriver.RunAsync(clock, play, () => Drain(peer, packets));

        Assert.Equal(Frames, sender.SendTimes.Count);
        for (int n = 0; n < Frames; n++)
        {
            Assert.Equal(FrameTime * n, sender.SendTimes[n]);
        }

        Assert.Equal(Frames, packets.Count);
        Assert.True(packets[0].Marker);
        for (int n = 1; n < Frames; n++)
        {
            Assert.Equal((ushort)(packets[n - 1].Sequence + 1), packets[n].Sequence);
            Assert.Equal(packets[n - 1].Timestamp + 160u, packets[n].Timestamp);
            Assert.False(packets[n].Marker);
        }
    }

    [Fact]
    public async Task Late_timers_delay_each_frame_but_never_accumulate()
    {
        var manual = new ManualTimeProvider();
        var lateness = TimeSpan.FromMilliseconds(7);
        var clock = new LateTimeProvider(manual, lateness);
        var sender = new TimedSender(null, manual);

        await ClockDriver.RunAsync(manual, new RtpAudioPlayer(sender, clock).PlayAsync(new short[Frames * RtpSession.SamplesPerFrame]));

        Assert.Equal(Frames, sender.SendTimes.Count);
        Assert.Equal(TimeSpan.Zero, sender.SendTimes[0]);
        for (int n = 1; n < Frames; n++)
        {
            // Every timer fired 7 ms late, and frame n still left at n × 20 ms + 7 ms, not n × 27 ms.
            Assert.Equal((FrameTime * n) + lateness, sender.SendTimes[n]);
        }
    }

    [Fact]
    public async Task Restart_begins_a_new_schedule_from_now()
    {
        var clock = new ManualTimeProvider();
        var pacer = new FramePacer(clock);
        pacer.Restart();
        await pacer.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(1234));

        pacer.Restart();
        await pacer.WaitAsync(CancellationToken.None);
        var second = pacer.WaitAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(19));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second;

        Assert.Equal(2, pacer.FramesPaced);
    }

    private static void Drain(UdpClient peer, List<(ushort, uint, bool)> packets)
    {
        while (peer.Available > 0)
        {
            IPEndPoint? from = null;
            var datagram = peer.Receive(ref from);
            packets.Add((
                BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)),
                BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)),
                (datagram[1] & 0x80) != 0));
        }
    }

    private sealed class TimedSender(IRtpAudioSender? inner, ManualTimeProvider clock) : IRtpAudioSender
    {
        public List<TimeSpan> SendTimes { get; } = new(Frames);

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            Assert.Equal(RtpSession.SamplesPerFrame, pcm8k.Length);
            SendTimes.Add(clock.Now);
            return inner?.SendAudio(pcm8k, marker) ?? true;
        }
    }
}
