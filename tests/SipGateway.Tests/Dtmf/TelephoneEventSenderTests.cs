using StepAudio.Telephony.SipGateway.Tests.Rtp;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Dtmf;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Dtmf;

public sealed class TelephoneEventSenderTests
{
    [Fact]
    public async Task A_press_is_a_marker_packet_updates_and_three_end_packets_on_one_timestamp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null),
            MuLawCodec.Instance,
            (IPEndPoint)peer.Client.LocalEndPoint!,
            DiscardingAudioSink.Instance,
            telephoneEventPayloadType: 96);
        var frame = new short[RtpSession.SamplesPerFrame];
        session.SendAudio(frame);

        await new TelephoneEventSender(session).SendAsync('#', TimeSpan.FromMilliseconds(120));
        session.SendAudio(frame);

        var packets = new List<(bool Marker, int PayloadType, ushort Sequence, uint Timestamp, TelephoneEventPayload Event)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (packets.Count == 0 || packets[^1].PayloadType != 0 || packets.Count == 1)
        {
            var datagram = (await peer.ReceiveAsync(cts.Token)).Buffer;
            Assert.True(RtpPacket.TryParse(datagram, out var rtp));
            _ = TelephoneEventPayload.TryParse(rtp.Payload, out var ev);
            packets.Add((rtp.Marker, rtp.PayloadType, rtp.SequenceNumber, rtp.Timestamp, ev));
        }

        var audioBefore = packets[0];
        var events = packets[1..^1];
        var audioAfter = packets[^1];
        Assert.All(events, p => Assert.Equal(96, p.PayloadType));
        Assert.All(events, p => Assert.Equal(11, p.Event.Event));
        Assert.True(events[0].Marker, "the first event packet carries the marker (RFC 4733 §2.5.1.1)");
        Assert.All(events.Skip(1), p => Assert.False(p.Marker));

        // The event starts where the next audio frame would have: right after the frame before it.
        Assert.All(events, p => Assert.Equal(audioBefore.Timestamp + 160, p.Timestamp));
        Assert.Equal(Enumerable.Range(1, packets.Count - 1).Select(i => (ushort)(audioBefore.Sequence + i)), packets.Skip(1).Select(p => p.Sequence));

        // 120 ms: updates at 0, 50 and 100 ms, then three end packets with the full 960 samples.
        Assert.Equal([0, 400, 800, 960, 960, 960], events.Select(p => (int)p.Event.Duration));
        Assert.Equal([false, false, false, true, true, true], events.Select(p => p.Event.End));

        // Audio resumes after the event rather than on top of it.
        Assert.Equal(audioBefore.Timestamp + 160 + 960, audioAfter.Timestamp);

        // And our own receiver makes exactly one digit of it.
        var sink = new RecordingDtmfSink();
        using var receiver = new TelephoneEventReceiver(sink);
        foreach (var p in events)
        {
            var payload = new byte[4];
            p.Event.Write(payload);
            receiver.OnPacket(1, p.Timestamp, payload);
        }

        Assert.Equal(('#', TimeSpan.FromMilliseconds(120)), sink.Digits.Select(d => (d.Digit, d.Duration)).Single());
    }

    [Fact]
    public async Task Refuses_keys_that_are_not_dtmf_and_sessions_without_telephone_event()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(new RtpPortLease(socket, release: null), MuLawCodec.Instance, new IPEndPoint(IPAddress.Loopback, 9), DiscardingAudioSink.Instance);
        var sender = new TelephoneEventSender(session);

        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync('x', TimeSpan.FromMilliseconds(100)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync('5', TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_key_sequence_is_one_event_per_key_each_on_its_own_timestamp_and_our_receiver_reads_it_back()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, (IPEndPoint)peer.Client.LocalEndPoint!, DiscardingAudioSink.Instance, telephoneEventPayloadType: 101);
        var start = session.NextSendTimestamp;

        await new TelephoneEventSender(session).SendDigitsAsync("1#9");

        // Per key: the start packet, one update, three end packets (100 ms = 800 samples).
        var packets = new List<(bool Marker, uint Timestamp, TelephoneEventPayload Event)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (packets.Count < 15)
        {
            var datagram = (await peer.ReceiveAsync(cts.Token)).Buffer;
            Assert.True(RtpPacket.TryParse(datagram, out var rtp));
            Assert.Equal(101, rtp.PayloadType);
            Assert.True(TelephoneEventPayload.TryParse(rtp.Payload, out var ev));
            packets.Add((rtp.Marker, rtp.Timestamp, ev));
        }

        var events = packets.GroupBy(p => p.Timestamp).ToList();
        Assert.Equal(3, events.Count);

        // Each event starts where the audio clock stood: after the previous key (800) and the gap between keys (560).
        Assert.Equal([start, start + 1360, start + 2720], events.Select(e => e.Key));
        Assert.All(events, e => Assert.True(e.First().Marker, "each key's first packet carries the marker (RFC 4733 §2.5.1.1)"));
        Assert.All(events, e => Assert.Equal(3, e.Count(p => p.Event.End))); // §2.5.1.4: the end is sent three times
        Assert.Equal([1, 11, 9], events.Select(e => (int)e.First().Event.Event));

        var sink = new RecordingDtmfSink();
        using var receiver = new TelephoneEventReceiver(sink);
        foreach (var p in packets)
        {
            var payload = new byte[4];
            p.Event.Write(payload);
            receiver.OnPacket(1, p.Timestamp, payload);
        }

        Assert.Equal("1#9", string.Concat(sink.Digits.Select(d => d.Digit)));
    }

    [Fact]
    public async Task A_sequence_with_a_key_that_is_not_dtmf_sends_nothing()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var session = new RtpSession(
            new RtpPortLease(socket, release: null), MuLawCodec.Instance, new IPEndPoint(IPAddress.Loopback, 9), DiscardingAudioSink.Instance, telephoneEventPayloadType: 101);

        await Assert.ThrowsAsync<ArgumentException>(() => new TelephoneEventSender(session).SendDigitsAsync("12x"));

        Assert.Equal(0, session.GetStatistics().PacketsSent);
    }
}
