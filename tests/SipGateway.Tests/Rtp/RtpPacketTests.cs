using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class RtpPacketTests
{
    [Fact]
    public void Parses_the_fixed_header()
    {
        // V=2 P=0 X=0 CC=0 | M=1 PT=8 | seq 0x1234 | ts 0xDEADBEEF | SSRC 0x01020304 | payload
        byte[] datagram = [0x80, 0x88, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB, 0xCC];

        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        Assert.True(packet.Marker);
        Assert.Equal(8, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Equal(0, packet.CsrcCount);
        Assert.False(packet.HasExtension);
        Assert.Equal(0, packet.PaddingLength);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, packet.Payload.ToArray());
    }

    [Fact]
    public void Skips_csrcs_extension_and_padding()
    {
        byte[] datagram =
        [
            0xB2, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0x11, 0x22, 0x33, 0x44, // V=2 P=1 X=1 CC=2, PT 0
            0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,                         // two CSRCs
            0xBE, 0xDE, 0x00, 0x02, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, // extension, 2 words
            0x01, 0x02, 0x03, 0x04, 0x05,                                           // payload
            0x00, 0x00, 0x03,                                                       // 3 padding octets
        ];

        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        Assert.Equal(2, packet.CsrcCount);
        Assert.True(packet.HasExtension);
        Assert.Equal(3, packet.PaddingLength);
        Assert.Equal(0, packet.PayloadType);
        Assert.Equal(1, packet.SequenceNumber);
        Assert.Equal(160u, packet.Timestamp);
        Assert.Equal(0x11223344u, packet.Ssrc);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, packet.Payload.ToArray());
    }

    [Fact]
    public void Accepts_a_header_only_packet()
    {
        byte[] datagram = [0x80, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        Assert.True(packet.Payload.IsEmpty);
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "empty", [] },
        { "shorter than the fixed header", [0x80, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
        { "version 1", [0x40, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF] },
        { "version 0", [0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF] },
        { "version 3", [0xC0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF] },
        { "CSRC list beyond the end", [0x83, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2] },
        { "extension header cut off", [0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE] },
        { "extension longer than the packet", [0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02, 1, 2, 3, 4] },
        { "padding longer than the packet", [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xAA, 0x05] },
        { "padding eating into the header", [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x0D] },
        { "zero padding count", [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xAA, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Rejects_malformed_datagrams(string why, byte[] datagram)
    {
        Assert.False(RtpPacket.TryParse(datagram, out _), why);
    }

    [Fact]
    public void Random_bytes_never_throw_and_parsed_views_stay_inside_the_datagram()
    {
        var random = new Random(3550);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var datagram = new byte[random.Next(0, 80)];
            random.NextBytes(datagram);
            if (i % 2 == 0 && datagram.Length > 0)
            {
                datagram[0] = (byte)(0x80 | (datagram[0] & 0x3F)); // force version 2 half of the time
            }

            if (RtpPacket.TryParse(datagram, out var packet))
            {
                accepted++;
                Assert.Equal(2, datagram[0] >> 6);
                int headerLength = RtpPacket.FixedHeaderLength + (4 * packet.CsrcCount);
                Assert.True(headerLength + packet.Payload.Length + packet.PaddingLength <= datagram.Length);
            }
        }

        Assert.True(accepted > 0, "the fuzz corpus should contain some structurally valid packets");
    }

    [Fact]
    public void Writer_output_parses_back()
    {
        var buffer = new byte[64];
        byte[] payload = [9, 8, 7, 6];
        int length = RtpPacketWriter.Write(buffer, marker: true, payloadType: 0, sequenceNumber: 65535,
            timestamp: 0xFFFFFFF0, ssrc: 42, payload);

        Assert.Equal(16, length);
        Assert.Equal(0x80, buffer[0]);
        Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
        Assert.True(packet.Marker);
        Assert.Equal(0, packet.PayloadType);
        Assert.Equal(65535, packet.SequenceNumber);
        Assert.Equal(0xFFFFFFF0u, packet.Timestamp);
        Assert.Equal(42u, packet.Ssrc);
        Assert.Equal(payload, packet.Payload.ToArray());
    }

    [Fact]
    public void Writer_rejects_small_buffers_and_wide_payload_types()
    {
        Assert.Throws<ArgumentException>(() => RtpPacketWriter.Write(new byte[13], false, 0, 0, 0, 0, new byte[2]));
        Assert.Throws<ArgumentException>(() => RtpPacketWriter.WriteHeader(new byte[11], false, 0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtpPacketWriter.WriteHeader(new byte[12], false, 128, 0, 0, 0));
    }
}
