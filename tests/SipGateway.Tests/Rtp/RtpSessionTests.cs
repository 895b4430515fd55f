using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpSessionTests : IAsyncLifetime
{
    private const int TelephoneEventPayloadType = 101;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _sdpTarget = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _intruder = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly RecordingSink _sink = new();
    private RtpSession _session = null!;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtpSession(
            new RtpPortLease(socket, release: null),
            MuLawCodec.Instance,
            (IPEndPoint)_sdpTarget.Client.LocalEndPoint!,
            _sink,
            telephoneEventPayloadType: TelephoneEventPayloadType);
        _session.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _session.DisposeAsync(); // idempotent
        _peer.Dispose();
        _sdpTarget.Dispose();
        _intruder.Dispose();
    }

    [Fact]
    public async Task Delivers_decoded_frames_with_their_timestamps()
    {
        var codes = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();
        await SendAsync(_peer, payloadType: 0, sequence: 7, timestamp: 1000, codes);
        await SendAsync(_peer, payloadType: 0, sequence: 8, timestamp: 1160, codes);

        var frames = await _sink.WaitForAsync(2);
        var expected = codes.Select(MuLawCodec.DecodeSample).ToArray();
        Assert.Equal(expected, frames[0].Pcm);
        Assert.Equal(1000u, frames[0].Timestamp);
        Assert.Equal(1160u, frames[1].Timestamp);
        Assert.True(frames[1].Arrival >= frames[0].Arrival);

        var statistics = _session.GetStatistics();
        Assert.Equal(2, statistics.PacketsReceived);
        Assert.Equal(2, statistics.FramesDelivered);
        Assert.Equal(2, statistics.PacketsExpected);
        Assert.Equal(0, statistics.PacketsLost);
        Assert.True(_session.TimeSinceLastPacket < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Latches_to_the_first_source_and_ignores_others()
    {
        await SendAsync(_peer, 0, 1, 0, new byte[160]);
        await _sink.WaitForAsync(1);
        Assert.True(_session.IsLatched);
        Assert.Equal(_peer.Client.LocalEndPoint, _session.RemoteEndPoint);

        await SendAsync(_intruder, 0, 2, 160, new byte[160]);
        await WaitUntilAsync(() => _session.GetStatistics().PacketsFromUnexpectedSource == 1);
        await SendAsync(_peer, 0, 2, 160, new byte[160]);
        await _sink.WaitForAsync(2);

        Assert.Equal(2, _sink.Frames.Length);
        Assert.Equal(2, _session.GetStatistics().PacketsReceived);
    }

    [Fact]
    public async Task Wrong_payload_types_garbage_and_telephone_events_are_counted_not_delivered()
    {
        await SendAsync(_peer, payloadType: 8, 1, 0, new byte[160]);
        await _peer.SendAsync(new byte[] { 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, _session.LocalEndPoint);
        await _peer.SendAsync(new byte[] { 0x80, 0 }, _session.LocalEndPoint);
        await SendAsync(_peer, TelephoneEventPayloadType, 2, 0, [1, 0x0A, 0x00, 0xA0]);
        await SendAsync(_peer, payloadType: 0, 3, 160, new byte[160]);

        await _sink.WaitForAsync(1);
        var statistics = _session.GetStatistics();
        Assert.Equal(1, statistics.PacketsWrongPayloadType);
        Assert.Equal(2, statistics.PacketsInvalid);
        Assert.Equal(1, statistics.TelephoneEventPackets);
        Assert.Equal(2, statistics.PacketsReceived);
        Assert.Single(_sink.Frames);
    }

    [Fact]
    public async Task Loss_is_counted_from_sequence_numbers_across_the_wrap()
    {
        ushort[] sequences = [65534, 65535, 2, 3]; // 0 and 1 lost
        for (var i = 0; i < sequences.Length; i++)
        {
            await SendAsync(_peer, 0, sequences[i], (uint)(i * 160), new byte[160]);
        }

        await _sink.WaitForAsync(4);
        var statistics = _session.GetStatistics();
        Assert.Equal(6, statistics.PacketsExpected);
        Assert.Equal(2, statistics.PacketsLost);
    }

    [Fact]
    public async Task A_new_ssrc_restarts_sequence_accounting()
    {
        await SendAsync(_peer, 0, 100, 0, new byte[160]);
        await SendAsync(_peer, 0, 105, 800, new byte[160]); // 4 lost from the first source
        await SendAsync(_peer, 0, 9000, 0, new byte[160], ssrc: 0xBEEF);
        await SendAsync(_peer, 0, 9001, 160, new byte[160], ssrc: 0xBEEF);

        await _sink.WaitForAsync(4);
        var statistics = _session.GetStatistics();
        Assert.Equal(2, statistics.PacketsExpected);
        Assert.Equal(0, statistics.PacketsLost);
        Assert.Equal(4, statistics.PacketsReceived);
    }

    [Fact]
    public async Task A_faulty_sink_does_not_stop_the_receive_loop()
    {
        _sink.ThrowOnce = true;
        await SendAsync(_peer, 0, 1, 0, new byte[160]);
        await SendAsync(_peer, 0, 2, 160, new byte[160]);

        var frames = await _sink.WaitForAsync(1);
        Assert.Equal(160u, frames[0].Timestamp);
    }

    [Fact]
    public async Task SendAudio_goes_to_the_sdp_address_with_consecutive_sequence_and_timestamps()
    {
        var pcm = Enumerable.Range(0, 256).Select(i => MuLawCodec.DecodeSample((byte)i)).Take(160).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(_session.SendAudio(pcm, marker: i == 0));
        }

        var packets = new List<(ushort Sequence, uint Timestamp, uint Ssrc, bool Marker, byte[] Payload)>();
        for (var i = 0; i < 3; i++)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var datagram = (await _sdpTarget.ReceiveAsync(timeout.Token)).Buffer;
            Assert.True(RtpPacket.TryParse(datagram, out var packet));
            Assert.Equal(0, packet.PayloadType);
            packets.Add((packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Marker, packet.Payload.ToArray()));
        }

        Assert.Equal(new[] { true, false, false }, packets.Select(p => p.Marker));
        Assert.All(packets, p => Assert.Equal(_session.SendSsrc, p.Ssrc));
        for (var i = 1; i < 3; i++)
        {
            Assert.Equal(unchecked((ushort)(packets[i - 1].Sequence + 1)), packets[i].Sequence);
            Assert.Equal(unchecked(packets[i - 1].Timestamp + 160), packets[i].Timestamp);
        }

        var decoded = new short[160];
        MuLawCodec.Instance.Decode(packets[0].Payload, decoded);
        Assert.Equal(pcm, decoded);
        Assert.Equal(3, _session.GetStatistics().PacketsSent);
    }

    [Fact]
    public async Task After_latching_audio_is_sent_back_to_the_source_not_the_sdp_address()
    {
        await SendAsync(_peer, 0, 1, 0, new byte[160]);
        await _sink.WaitForAsync(1);

        Assert.True(_session.SendAudio(new short[160]));

        using var timeout = new CancellationTokenSource(Timeout);
        var received = await _peer.ReceiveAsync(timeout.Token);
        Assert.Equal(_session.LocalEndPoint.Port, received.RemoteEndPoint.Port);
        Assert.Equal(0, _sdpTarget.Available);
    }

    [Fact]
    public async Task Nothing_is_sent_to_an_on_hold_address_until_the_peer_is_latched()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var held = new RtpSession(
            new RtpPortLease(socket, release: null), ALawCodec.Instance, new IPEndPoint(IPAddress.Any, 0), _sink);
        held.Start();

        Assert.False(held.SendAudio(new short[160]));
        Assert.Equal(0, held.GetStatistics().PacketsSent);

        var datagram = new byte[12 + 160];
        RtpPacketWriter.Write(datagram, false, 8, 1, 0, 7, new byte[160]);
        await _peer.SendAsync(datagram, held.LocalEndPoint);
        await WaitUntilAsync(() => held.IsLatched);

        Assert.True(held.SendAudio(new short[160]));
        using var timeout = new CancellationTokenSource(Timeout);
        var received = await _peer.ReceiveAsync(timeout.Token);
        Assert.True(RtpPacket.TryParse(received.Buffer, out var packet));
        Assert.Equal(8, packet.PayloadType);
    }

    [Fact]
    public void SendAudio_rejects_empty_and_oversized_frames()
    {
        Assert.Throws<ArgumentException>(() => _session.SendAudio([]));
        Assert.Throws<ArgumentException>(() => _session.SendAudio(new short[RtpSession.MaxSamplesPerPacket + 1]));
    }

    private async Task SendAsync(
        UdpClient from, int payloadType, ushort sequence, uint timestamp, byte[] payload, uint ssrc = 0xCAFE)
    {
        var datagram = new byte[12 + payload.Length];
        int length = RtpPacketWriter.Write(datagram, false, payloadType, sequence, timestamp, ssrc, payload);
        await from.SendAsync(datagram.AsMemory(0, length), _session.LocalEndPoint);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, Timeout);

    private sealed class RecordingSink : IRtpAudioSink
    {
        private readonly ConcurrentQueue<(short[] Pcm, uint Timestamp, TimeSpan Arrival)> _frames = new();

        public bool ThrowOnce { get; set; }

        public (short[] Pcm, uint Timestamp, TimeSpan Arrival)[] Frames => _frames.ToArray();

        public void OnAudio(ReadOnlySpan<short> pcm8k, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
        {
            if (ThrowOnce)
            {
                ThrowOnce = false;
                throw new InvalidOperationException("sink failure");
            }

            _frames.Enqueue((pcm8k.ToArray(), rtpTimestamp, arrivalTime));
        }

        public async Task<(short[] Pcm, uint Timestamp, TimeSpan Arrival)[]> WaitForAsync(int count)
        {
            await WaitUntilAsync(() => _frames.Count >= count);
            return Frames;
        }
    }
}
