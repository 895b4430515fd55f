using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StepAudio.Telephony.SipGateway.Codecs.G722;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>A session negotiated to G.722: 16 kHz PCM to the sink, 8 kHz prompts upsampled before encoding.</summary>
public sealed class RtpSessionG722Tests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Sink _sink = new();
    private RtpSession _session = null!;

    public Task InitializeAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtpSession(new RtpPortLease(socket, release: null), G722Codec.Instance, (IPEndPoint)_peer.Client.LocalEndPoint!, _sink);
        _session.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _peer.Dispose();
    }

    [Fact]
    public async Task Delivers_two_16kHz_samples_per_octet_decoded_with_state_across_packets()
    {
        var random = new Random(9);
        var payloads = new[] { new byte[160], new byte[160] };
        random.NextBytes(payloads[0]);
        random.NextBytes(payloads[1]);
        for (var i = 0; i < 2; i++)
        {
            await _peer.SendAsync(Packet(sequence: (ushort)(10 + i), timestamp: 8000u + (160u * (uint)i), payloads[i]), (IPEndPoint)_session.LocalEndPoint);
        }

        await WaitUntilAsync(() => _sink.Frames.Count >= 2);
        var frames = _sink.Frames.ToArray();

        var reference = new G722Decoder();
        foreach (var (frame, payload) in frames.Zip(payloads))
        {
            var expected = new short[320];
            reference.Decode(payload, expected);
            Assert.Equal(16000, frame.SampleRate);
            Assert.Equal(expected, frame.Pcm);
        }

        // RFC 3551 §4.5.2: the RTP clock stays at 8000 Hz, so 20 ms is 160 timestamp units although 320 samples arrive.
        Assert.Equal(8160u, frames[1].Timestamp);
    }

    [Fact]
    public async Task Sends_8kHz_audio_as_G722_at_one_octet_per_8kHz_sample()
    {
        // Latch the peer so the session sends to it.
        await _peer.SendAsync(Packet(1, 0, new byte[160]), (IPEndPoint)_session.LocalEndPoint);
        await WaitUntilAsync(() => !_sink.Frames.IsEmpty);

        const int frames = 10;
        var tone = new short[160];
        var decoder = new G722Decoder();
        var decoded = new short[320];
        uint? firstTimestamp = null;
        for (var f = 0; f < frames; f++)
        {
            for (var n = 0; n < tone.Length; n++)
            {
                tone[n] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * ((f * 160) + n) / 8000.0));
            }

            Assert.True(_session.SendAudio(tone, marker: f == 0));
            using var timeout = new CancellationTokenSource(Timeout);
            var datagram = (await _peer.ReceiveAsync(timeout.Token)).Buffer;
            Assert.True(RtpPacket.TryParse(datagram, out var packet));
            Assert.Equal(9, packet.PayloadType);
            Assert.Equal(160, packet.Payload.Length);
            firstTimestamp ??= packet.Timestamp;
            Assert.Equal(firstTimestamp.Value + (160u * (uint)f), packet.Timestamp);
            decoder.Decode(packet.Payload, decoded);
        }

        // The last 20 ms decoded at 16 kHz must be the 1 kHz tone: nearly all its energy at 1 kHz.
        double total = decoded.Sum(s => (double)s * s);
        double re = 0;
        double im = 0;
        for (var n = 0; n < decoded.Length; n++)
        {
            re += decoded[n] * Math.Cos(2 * Math.PI * 1000 * n / 16000);
            im += decoded[n] * Math.Sin(2 * Math.PI * 1000 * n / 16000);
        }

        double toneEnergy = 2 * ((re * re) + (im * im)) / decoded.Length;
        Assert.True(toneEnergy > 0.95 * total, $"1 kHz holds {toneEnergy / total:P1} of the energy");
        Assert.True(total / decoded.Length > 0.25 * 8000 * 8000 / 2, "the tone lost most of its level");
    }

    private static byte[] Packet(ushort sequence, uint timestamp, byte[] payload)
    {
        var packet = new byte[12 + payload.Length];
        RtpPacketWriter.WriteHeader(packet, marker: false, payloadType: 9, sequence, timestamp, ssrc: 0x1234);
        payload.CopyTo(packet, 12);
        return packet;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, Timeout);

    private sealed class Sink : IRtpAudioSink
    {
        public ConcurrentQueue<(short[] Pcm, int SampleRate, uint Timestamp)> Frames { get; } = new();

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime) =>
            Frames.Enqueue((pcm.ToArray(), sampleRate, rtpTimestamp));
    }
}
