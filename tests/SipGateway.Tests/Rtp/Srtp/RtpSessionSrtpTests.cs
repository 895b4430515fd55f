using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp.Srtp;

/// <summary>An SRTP call's media over real loopback sockets: what is played, what is dropped, what goes out.</summary>
public sealed class RtpSessionSrtpTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const string Suite = "AES_CM_128_HMAC_SHA1_80";
    private readonly SrtpKeys _keys = new(SrtpMasterKey.Generate(), SrtpMasterKey.Generate(), 1, Suite);
    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Sink _sink = new();
    private RtpSession _session = null!;
    private SrtpTransform _peerOut = null!;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)_peer.Client.LocalEndPoint!, _sink, srtp: _keys);
        _session.Start();
        _peerOut = new SrtpTransform(_keys.Remote);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _peerOut.Dispose();
        _peer.Dispose();
    }

    [Fact]
    public async Task Authentic_packets_play_and_replays_and_forgeries_are_dropped_and_counted()
    {
        using var stranger = new SrtpTransform(SrtpMasterKey.Generate());
        var first = Protect(_peerOut, 1, 0x10);
        await _peer.SendAsync(first, _session.LocalEndPoint);
        await _peer.SendAsync(first, _session.LocalEndPoint); // replayed
        await _peer.SendAsync(Protect(stranger, 2, 0x20), _session.LocalEndPoint); // wrong key
        var plain = new byte[12 + 160];
        RtpPacketWriter.Write(plain, false, 0, 3, 480, 0xCAFE, Enumerable.Repeat((byte)0x30, 160).ToArray());
        await _peer.SendAsync(plain, _session.LocalEndPoint); // plain RTP on an SRTP call
        await _peer.SendAsync(Protect(_peerOut, 4, 0x40), _session.LocalEndPoint);

        await Eventually.TrueAsync(() => _session.SrtpPacketsDropped == 3 && _sink.Frames.Any(f => f[0] == MuLawCodec.DecodeSample(0x40)), Timeout);

        Assert.Equal(MuLawCodec.DecodeSample(0x10), _sink.Frames[0][0]);
        Assert.Equal(2, _session.GetStatistics().PacketsReceived);
        Assert.True(_session.IsSecure);
    }

    [Fact]
    public async Task Sent_audio_is_srtp_that_only_our_key_opens()
    {
        using var peerIn = new SrtpTransform(_keys.Local);
        using var wrongIn = new SrtpTransform(_keys.Remote);
        var pcm = Enumerable.Repeat((short)1000, 160).ToArray();

        Assert.True(_session.SendAudio(pcm));
        var received = await _peer.ReceiveAsync().WaitAsync(Timeout);

        var packet = received.Buffer;
        Assert.Equal(12 + 160 + SrtpTransform.AuthTagLength, packet.Length);
        Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, wrongIn.Unprotect((byte[])packet.Clone(), out _));
        Assert.Equal(SrtpUnprotectResult.Ok, peerIn.Unprotect(packet, out var length));
        Assert.Equal(12 + 160, length);
        Assert.Equal(MuLawCodec.EncodeSample(1000), packet[12]);
    }

    private static byte[] Protect(SrtpTransform transform, ushort sequence, byte code)
    {
        var buffer = new byte[12 + 160 + SrtpTransform.AuthTagLength];
        RtpPacketWriter.Write(buffer, false, 0, sequence, sequence * 160u, 0xCAFE, Enumerable.Repeat(code, 160).ToArray());
        Assert.Equal(buffer.Length, transform.Protect(buffer, 12 + 160));
        return buffer;
    }

    private sealed class Sink : IRtpAudioSink
    {
        private readonly ConcurrentQueue<short[]> _frames = new();

        public short[][] Frames => _frames.ToArray();

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime) => _frames.Enqueue(pcm.ToArray());
    }
}
