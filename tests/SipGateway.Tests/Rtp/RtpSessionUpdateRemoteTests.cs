using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>Renegotiation applied to a running session (re-INVITE/UPDATE, RFC 3264 §8).</summary>
public sealed class RtpSessionUpdateRemoteTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly UdpClient _first = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _second = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CountingSink _sink = new();
    private RtpSession _session = null!;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtpSession(new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)_first.Client.LocalEndPoint!, _sink);
        _session.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Codec_and_target_change_move_sending_and_receiving()
    {
        // Latch onto the first peer, then move the call to the second in PCMA.
        await SendFromAsync(_first, payloadType: 0, sequence: 1);
        await WaitUntilAsync(() => _session.IsLatched && _sink.Frames == 1);

        _session.UpdateRemote((IPEndPoint)_second.Client.LocalEndPoint!, ALawCodec.Instance, send: true);
        Assert.False(_session.IsLatched);
        Assert.Same(ALawCodec.Instance, _session.Codec);
        Assert.True(_session.SendAudio(new short[160]));
        var packet = await ReceiveAsync(_second);
        Assert.Equal(8, packet);

        await SendFromAsync(_second, payloadType: 0, sequence: 2); // old codec: ignored now
        await WaitUntilAsync(() => _session.GetStatistics().PacketsWrongPayloadType == 1);
        await SendFromAsync(_second, payloadType: 8, sequence: 3);

        // The jitter buffer conceals the slot of the ignored packet, so count decoded frames, not all frames.
        await WaitUntilAsync(() => _session.GetStatistics().FramesDelivered == 2);
        Assert.Equal(_second.Client.LocalEndPoint, _session.RemoteEndPoint);
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_peer_holds_the_call()
    {
        var target = (IPEndPoint)_first.Client.LocalEndPoint!;
        _session.UpdateRemote(target, MuLawCodec.Instance, send: false);
        Assert.False(_session.SendAudio(new short[160]));
        await Task.Delay(100);
        Assert.Equal(0, _first.Available);

        _session.UpdateRemote(target, MuLawCodec.Instance, send: true);
        Assert.True(_session.SendAudio(new short[160]));
        Assert.Equal(0, await ReceiveAsync(_first));
    }

    private async Task SendFromAsync(UdpClient from, int payloadType, ushort sequence)
    {
        var datagram = new byte[12 + 160];
        RtpPacketWriter.Write(datagram, false, payloadType, sequence, sequence * 160u, 0xBEEF, new byte[160]);
        await from.SendAsync(datagram, _session.LocalEndPoint);
    }

    private static async Task<int> ReceiveAsync(UdpClient at)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var received = await at.ReceiveAsync(timeout.Token);
        Assert.True(RtpPacket.TryParse(received.Buffer, out var packet));
        return packet.PayloadType;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, Timeout);

    private sealed class CountingSink : IRtpAudioSink
    {
        private int _frames;

        public int Frames => Volatile.Read(ref _frames);

        public void OnAudio(ReadOnlySpan<short> pcm8k, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime) => Interlocked.Increment(ref _frames);
    }
}
