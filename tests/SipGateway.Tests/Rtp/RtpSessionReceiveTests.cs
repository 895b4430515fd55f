using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>
/// The receive path through the jitter buffer over real loopback sockets, played out on a clock only the test moves:
/// on the real clock a loaded machine could pause between two sends for longer than the playout delay and turn a
/// packet that was merely late into a concealed frame.
/// </summary>
public sealed class RtpSessionReceiveTests : IAsyncLifetime
{
    private const byte Loud = 0x10; // µ-law code far from zero, so attenuation is visible
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _intruder = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Sink _sink = new();
    private readonly CountingLogger _logger = new();
    private readonly ManualTimeProvider _clock = new();
    private RtpSession _session = null!;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)_peer.Client.LocalEndPoint!, _sink, _logger, timeProvider: _clock);
        _session.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _peer.Dispose();
        _intruder.Dispose();
    }

    [Fact]
    public async Task Reordered_packets_reach_the_sink_in_order()
    {
        foreach (var seq in new ushort[] { 1, 3, 2, 4 })
        {
            await SendAsync(_peer, 0, seq, seq * 160u, Payload((byte)seq));
        }

        var frames = await PlayOutAsync(packets: 4, frames: 4);
        Assert.Equal(new uint[] { 160, 320, 480, 640 }, frames.Select(f => f.Timestamp));
        Assert.Equal(new[] { 1, 2, 3, 4 }.Select(c => MuLawCodec.DecodeSample((byte)c)), frames.Select(f => f.Pcm[0]));
        Assert.Equal(1, _session.GetStatistics().JitterBuffer.PacketsReordered);
    }

    [Fact]
    public async Task A_single_lost_packet_is_the_previous_frame_6_dB_down()
    {
        foreach (var seq in new ushort[] { 1, 2, 4, 5 })
        {
            await SendAsync(_peer, 0, seq, seq * 160u, Payload(Loud));
        }

        var frames = await PlayOutAsync(packets: 4, frames: 5);
        Assert.Equal(new uint[] { 160, 320, 480, 640, 800 }, frames.Select(f => f.Timestamp));
        short original = MuLawCodec.DecodeSample(Loud);
        Assert.All(frames[2].Pcm, s => Assert.Equal((short)(original >> 1), s));
        Assert.All(frames[3].Pcm, s => Assert.Equal(original, s));
        var statistics = _session.GetStatistics();
        Assert.Equal(1, statistics.FramesConcealed);
        Assert.Equal(4, statistics.FramesDelivered);
    }

    [Fact]
    public async Task Sequence_wrap_delivers_in_order_without_loss()
    {
        ushort[] sequences = [65534, 65535, 0, 1];
        for (var i = 0; i < sequences.Length; i++)
        {
            await SendAsync(_peer, 0, sequences[i], uint.MaxValue - 159 + (uint)(i * 160), Payload((byte)(i + 1)));
        }

        var frames = await PlayOutAsync(packets: 4, frames: 4);
        Assert.Equal(new[] { 1, 2, 3, 4 }.Select(c => MuLawCodec.DecodeSample((byte)c)), frames.Select(f => f.Pcm[0]));
        var statistics = _session.GetStatistics();
        Assert.Equal(0, statistics.PacketsLost);
        Assert.Equal(0, statistics.FramesConcealed + statistics.FramesSilent);
    }

    [Fact]
    public async Task A_new_ssrc_mid_call_plays_the_old_source_out_then_the_new_one()
    {
        for (ushort i = 0; i < 3; i++)
        {
            await SendAsync(_peer, 0, (ushort)(100 + i), 5000 + (i * 160u), Payload(0x11), ssrc: 0xA);
        }

        for (ushort i = 0; i < 3; i++)
        {
            await SendAsync(_peer, 0, (ushort)(7 + i), 90_000 + (i * 160u), Payload(0x91), ssrc: 0xB);
        }

        var frames = await PlayOutAsync(packets: 6, frames: 6);
        _clock.Advance(TimeSpan.FromSeconds(1)); // a seventh frame would be due within this
        short a = MuLawCodec.DecodeSample(0x11);
        short b = MuLawCodec.DecodeSample(0x91);
        Assert.Equal([a, a, a, b, b, b], _sink.Frames.Select(f => f.Pcm[0]));
        Assert.All(_sink.Frames, f => Assert.All(f.Pcm, s => Assert.Equal(f.Pcm[0], s)));
        Assert.Equal(1, _session.GetStatistics().SourceChanges);
        Assert.Equal(6, frames.Length);
    }

    [Fact]
    public async Task A_flood_from_another_address_is_counted_never_played_and_logged_once()
    {
        // On a clock only the test moves: the flood takes as long as the machine needs, and the peer's next packet
        // still arrives in time for its playout (on the real clock a loaded machine made it late: a concealed frame).
        var clock = new ManualTimeProvider();
        var sink = new Sink();
        var logger = new CountingLogger();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)_peer.Client.LocalEndPoint!, sink, logger, timeProvider: clock);
        session.Start();

        await SendAsync(_peer, 0, 1, 160, Payload(Loud), to: session);
        await PlayOutAsync(clock, sink, 1);
        int warningsBefore = logger.Warnings;

        const int flood = 500;
        for (var i = 0; i < flood; i++)
        {
            await SendAsync(_intruder, 0, (ushort)(2 + i), (uint)(320 + (i * 160)), Payload(0x90), ssrc: 0xBAD, to: session);
            if (i % 50 == 49)
            {
                // Batches keep the kernel's socket buffer from dropping part of the flood before it is counted.
                int sent = i + 1;
                await WaitUntilAsync(() => session.GetStatistics().PacketsFromUnexpectedSource == sent);
            }
        }

        await SendAsync(_peer, 0, 2, 320, Payload(Loud), to: session);
        await WaitUntilAsync(() => session.GetStatistics().PacketsReceived == 2);
        await PlayOutAsync(clock, sink, 2);

        Assert.Equal(1, logger.Warnings - warningsBefore);
        Assert.All(sink.Frames, f => Assert.Equal(MuLawCodec.DecodeSample(Loud), f.Pcm[0]));
        Assert.Equal(2, session.GetStatistics().FramesDelivered);
        Assert.Equal(0, session.GetStatistics().SourceChanges);
    }

    /// <summary>Waits until the session has taken <paramref name="packets"/> packets from the peer, then plays out until the sink has <paramref name="frames"/> frames.</summary>
    private async Task<(short[] Pcm, uint Timestamp)[]> PlayOutAsync(int packets, int frames)
    {
        await WaitUntilAsync(() => _session.GetStatistics().PacketsReceived >= packets);
        await PlayOutAsync(_clock, _sink, frames);
        return _sink.Frames;
    }

    /// <summary>Moves the session's clock in 10 ms steps until the sink has <paramref name="frames"/> frames.</summary>
    private static async Task PlayOutAsync(ManualTimeProvider clock, Sink sink, int frames) =>
        await Eventually.TrueAsync(
            () =>
            {
                if (sink.Frames.Length >= frames)
                {
                    return true;
                }

                clock.Advance(TimeSpan.FromMilliseconds(10));
                return sink.Frames.Length >= frames;
            },
            Timeout);

    [Fact]
    public async Task Garbage_and_wrong_payload_types_never_reach_the_sink_nor_stop_the_loop()
    {
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var datagram = new byte[random.Next(0, 200)];
            random.NextBytes(datagram);
            if (datagram.Length > 1)
            {
                // Half not version 2 at all, half RTP with a payload type nobody negotiated (96-127).
                datagram[0] = (byte)(i % 2 == 0 ? datagram[0] & 0x3F : 0x80 | (datagram[0] & 0x0F));
                datagram[1] = (byte)(96 + (datagram[1] % 32));
            }

            await _peer.SendAsync(datagram, _session.LocalEndPoint);
        }

        await SendAsync(_peer, 0, 1, 160, Payload(Loud));
        var frames = await PlayOutAsync(packets: 1, frames: 1);
        _clock.Advance(TimeSpan.FromSeconds(1)); // a second frame would be due within this

        var statistics = _session.GetStatistics();
        Assert.Equal(200, statistics.PacketsInvalid + statistics.PacketsWrongPayloadType);
        Assert.True(statistics.PacketsWrongPayloadType > 0);
        Assert.Single(_sink.Frames);
        Assert.Equal(MuLawCodec.DecodeSample(Loud), frames[0].Pcm[0]);
    }

    [Fact]
    public async Task Comfort_noise_fills_the_silence_at_the_signalled_level()
    {
        await SendAsync(_peer, 0, 1, 160, Payload(Loud));
        await SendAsync(_peer, RtpSession.ComfortNoisePayloadType, 2, 320, [50]); // RFC 3389: −50 dBov
        var frames = await PlayOutAsync(packets: 2, frames: 8);

        var statistics = _session.GetStatistics();
        Assert.Equal(1, statistics.ComfortNoisePackets);
        Assert.Equal(0, statistics.PacketsWrongPayloadType);
        Assert.Equal(1, statistics.FramesDelivered);
        double rms = Math.Sqrt(frames.Skip(1).Take(7).SelectMany(f => f.Pcm).Average(s => (double)s * s));
        double expected = short.MaxValue * Math.Pow(10, -50 / 20.0); // about 104
        Assert.InRange(rms, expected * 0.7, expected * 1.4);
    }

    private static byte[] Payload(byte code) => Enumerable.Repeat(code, 160).ToArray();

    private async Task SendAsync(UdpClient from, int payloadType, ushort sequence, uint timestamp, byte[] payload, uint ssrc = 0xCAFE, RtpSession? to = null)
    {
        var datagram = new byte[12 + payload.Length];
        int length = RtpPacketWriter.Write(datagram, false, payloadType, sequence, timestamp, ssrc, payload);
        await from.SendAsync(datagram.AsMemory(0, length), (to ?? _session).LocalEndPoint);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, Timeout);

    private sealed class Sink : IRtpAudioSink
    {
        private readonly ConcurrentQueue<(short[] Pcm, uint Timestamp)> _frames = new();

        public (short[] Pcm, uint Timestamp)[] Frames => _frames.ToArray();

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime) =>
            _frames.Enqueue((pcm.ToArray(), rtpTimestamp));
    }

    private sealed class CountingLogger : ILogger<RtpSession>
    {
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Interlocked.Increment(ref _warnings);
            }
        }
    }
}
