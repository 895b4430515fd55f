using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Codecs.G722;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Rtp.JitterBuffer;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpPlayoutTests
{
    private TimeSpan _now;

    [Fact]
    public void A_packet_of_the_current_codec_is_decoded_once_its_playout_time_comes()
    {
        var sink = new CountingSink();
        var codec = MuLawCodec.Instance.CreateSession();
        var playout = Create(codec, sink);

        Push(playout, codec, sequence: 1);
        Assert.Equal(0, sink.Frames); // held for the jitter buffer's minimum delay
        Tick(playout, TimeSpan.FromSeconds(1));

        Assert.Equal((1, 160, 8000), (sink.Frames, sink.Samples, sink.SampleRate));
        Assert.Equal(1, playout.GetStatistics().Delivered);
    }

    [Fact]
    public void A_packet_accepted_for_the_previous_codec_is_dropped_not_decoded_with_the_new_one()
    {
        var sink = new CountingSink();
        var before = MuLawCodec.Instance.CreateSession();
        var playout = Create(before, sink);
        var after = G722Codec.Instance.CreateSession();

        playout.ChangeCodec(after);
        Push(playout, before, sequence: 1); // validated against µ-law just before the re-INVITE took effect
        Push(playout, after, sequence: 2);
        Tick(playout, TimeSpan.FromSeconds(1));

        // Only the G.722 frame came out: 160 octets decode to 320 samples at 16 kHz.
        Assert.Equal((1, 320, 16000), (sink.Frames, sink.Samples, sink.SampleRate));
    }

    private RtpPlayout Create(IAudioCodec codec, CountingSink sink) => new(
        codec, 16384, sink, new JitterBufferOptions(), () => _now, new IPEndPoint(IPAddress.Loopback, 4000),
        NullLogger.Instance, new LogRateLimiter(TimeSpan.FromSeconds(10)));

    private void Push(RtpPlayout playout, IAudioCodec codec, ushort sequence)
    {
        var datagram = new byte[RtpPacket.FixedHeaderLength + 160];
        RtpPacketWriter.Write(datagram, false, codec.PayloadType, sequence, 160u * sequence, 0x1234, new byte[160]);
        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        playout.Push(codec, packet, comfortNoise: false, sourceChanged: false, _now);
    }

    private void Tick(RtpPlayout playout, TimeSpan now)
    {
        _now = now;
        ((IRtpPlayoutClient)playout).OnPlayoutTick();
    }

    private sealed class CountingSink : IRtpAudioSink
    {
        public int Frames { get; private set; }

        public int Samples { get; private set; }

        public int SampleRate { get; private set; }

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
        {
            Frames++;
            Samples += pcm.Length;
            SampleRate = sampleRate;
        }
    }
}
