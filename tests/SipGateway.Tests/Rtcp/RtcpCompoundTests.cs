using CsCheck;
using StepAudio.Telephony.SipGateway.Rtcp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtcp;

public sealed class RtcpCompoundTests
{
    // An SR with one report block, SDES CNAME "ab" and BYE, laid out by hand from RFC 3550 §6.4.1, §6.5, §6.6.
    private static readonly byte[] Known =
    [
        0x81, 200, 0x00, 0x0C, 0x11, 0x22, 0x33, 0x44, // V=2 RC=1 SR, length 12 words, SSRC
        0xE5, 0x4B, 0x1C, 0x00, 0x80, 0x00, 0x00, 0x00, // NTP 64 bits
        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x03, 0x20, // RTP ts 4096, 5 packets, 800 octets
        0xAA, 0xBB, 0xCC, 0xDD, 0x40, 0xFF, 0xFF, 0xFE, // block SSRC, fraction 64/256, cumulative -2
        0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x50, // extended highest 65552, jitter 80
        0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x80, 0x00, // LSR, DLSR 1.5 s
        0x81, 202, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, 0x01, 0x02, (byte)'a', (byte)'b', 0x00, 0x00, 0x00, 0x00,
        0x81, 203, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,
    ];

    [Fact]
    public void Writes_an_sr_sdes_bye_compound_octet_for_octet()
    {
        var buffer = new byte[200];
        var writer = new RtcpCompoundWriter(buffer);
        writer.WriteSenderReport(
            0x11223344,
            new RtcpSenderInfo(0xE54B1C0080000000, 4096, 5, 800),
            [new RtcpReportBlock(0xAABBCCDD, 64, -2, 65552, 80, 0x12345678, 0x00018000)]);
        writer.WriteSourceDescription(0x11223344, "ab");
        writer.WriteGoodbye(0x11223344);

        Assert.Equal(Known, buffer[..writer.Length]);
    }

    [Fact]
    public void Reads_back_every_field_of_the_known_compound()
    {
        Assert.True(RtcpCompoundReader.Validate(Known));
        var reader = new RtcpCompoundReader(Known);

        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.SenderReport, reader.Current.PacketType);
        Assert.Equal(0x11223344u, reader.Current.Ssrc);
        Assert.True(reader.Current.TryGetSenderInfo(out var info));
        Assert.Equal(new RtcpSenderInfo(0xE54B1C0080000000, 4096, 5, 800), info);
        Assert.Equal(0x1C008000u, info.CompactNtp);
        var block = RtcpReportBlock.Read(reader.Current.ReportBlocks);
        Assert.Equal(new RtcpReportBlock(0xAABBCCDD, 64, -2, 65552, 80, 0x12345678, 0x00018000), block);

        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.SourceDescription, reader.Current.PacketType);
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.Goodbye, reader.Current.PacketType);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void Cumulative_loss_beyond_24_bits_is_clamped_not_wrapped()
    {
        var buffer = new byte[RtcpReportBlock.Length];
        new RtcpReportBlock(1, 0, 20_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.Equal(RtcpReportBlock.MaxCumulativeLost, RtcpReportBlock.Read(buffer).CumulativeLost);
        new RtcpReportBlock(1, 0, -20_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.Equal(RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.Read(buffer).CumulativeLost);
    }

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "version 1", Mutate(b => b[0] = 0x41) },
        { "first packet is SDES", Known[52..] },
        { "first packet is BYE", Known[^8..] },
        { "lengths exceed the datagram", Mutate(b => b[3] = 0x30) },
        { "lengths fall short of the datagram", [.. Known, 0, 0, 0, 0] },
        { "second packet has version 3", Mutate(b => b[52] = 0xC1) },
        { "padding on a packet that is not last", Mutate(b => b[0] |= 0x20) },
        { "not a multiple of four", Known[..^1] },
        { "too short for a header pair", Known[..4] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_what_rfc3550_a2_rejects(string why, byte[] datagram) =>
        Assert.False(RtcpCompoundReader.Validate(datagram), why);

    [Fact]
    public void Padding_on_the_last_packet_is_valid_and_removed()
    {
        // An RR without blocks (2 words) plus 4 padding octets, the last counting them (§6.4.1).
        byte[] padded = [0xA0, 201, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 4];
        Assert.True(RtcpCompoundReader.Validate(padded));
        var reader = new RtcpCompoundReader(padded);
        Assert.True(reader.MoveNext());
        Assert.Equal(4, reader.Current.Body.Length);
        Assert.Equal(7u, reader.Current.Ssrc);

        padded[^1] = 0;
        Assert.False(RtcpCompoundReader.Validate(padded));
    }

    [Fact]
    public void A_report_count_larger_than_the_packet_yields_only_the_blocks_present()
    {
        byte[] rr = [0x9F, 201, 0x00, 0x07, 0, 0, 0, 1, .. new byte[24]]; // RC = 31, room for one block
        Assert.True(RtcpCompoundReader.Validate(rr));
        var reader = new RtcpCompoundReader(rr);
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpReportBlock.Length, reader.Current.ReportBlocks.Length);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw_from_validation_or_reading()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            bool valid = RtcpCompoundReader.Validate(bytes);
            var reader = new RtcpCompoundReader(bytes);
            while (reader.MoveNext())
            {
                _ = reader.Current.TryGetSenderInfo(out _);
                var blocks = reader.Current.ReportBlocks;
                for (int i = 0; i < blocks.Length; i += RtcpReportBlock.Length)
                {
                    _ = RtcpReportBlock.Read(blocks[i..]);
                }
            }

            return !valid || bytes.Length >= 8;
        });
    }

    [Fact]
    public void Mutations_of_a_valid_compound_never_throw()
    {
        Gen.Select(Gen.Int[0, Known.Length - 1], Gen.Byte).Array[1, 6].Sample(edits =>
        {
            var bytes = (byte[])Known.Clone();
            foreach (var (index, value) in edits)
            {
                bytes[index] = value;
            }

            if (RtcpCompoundReader.Validate(bytes))
            {
                var reader = new RtcpCompoundReader(bytes);
                while (reader.MoveNext())
                {
                    _ = reader.Current.ReportBlocks.Length;
                }
            }
        });
    }

    private static byte[] Mutate(Action<byte[]> change)
    {
        var copy = (byte[])Known.Clone();
        change(copy);
        return copy;
    }
}
