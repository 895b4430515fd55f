using System.Buffers.Binary;
using System.Text;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>
/// Appends RTCP packets to a buffer to form one compound packet (RFC 3550 §6.1): start with an SR or RR, add an SDES
/// with the CNAME, and a BYE last when leaving. No padding is ever needed: every packet written is a multiple of 4.
/// </summary>
public ref struct RtcpCompoundWriter
{
    private readonly Span<byte> _buffer;

    /// <summary>Writes into <paramref name="buffer"/> from its start.</summary>
    public RtcpCompoundWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Length = 0;
    }

    /// <summary>Octets written so far: the compound packet is the buffer's first <see cref="Length"/> octets.</summary>
    public int Length { get; private set; }

    /// <summary>Appends an SR (§6.4.1) with up to 31 report blocks.</summary>
    /// <exception cref="ArgumentException">Too many blocks or the buffer is full.</exception>
    public void WriteSenderReport(uint ssrc, RtcpSenderInfo senderInfo, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var packet = Begin(RtcpPacketType.SenderReport, blocks.Length, 4 + RtcpSenderInfo.Length + (blocks.Length * RtcpReportBlock.Length));
        BinaryPrimitives.WriteUInt32BigEndian(packet, ssrc);
        senderInfo.Write(packet[4..]);
        WriteBlocks(packet[(4 + RtcpSenderInfo.Length)..], blocks);
    }

    /// <summary>Appends an RR (§6.4.2) with up to 31 report blocks.</summary>
    /// <exception cref="ArgumentException">Too many blocks or the buffer is full.</exception>
    public void WriteReceiverReport(uint ssrc, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var packet = Begin(RtcpPacketType.ReceiverReport, blocks.Length, 4 + (blocks.Length * RtcpReportBlock.Length));
        BinaryPrimitives.WriteUInt32BigEndian(packet, ssrc);
        WriteBlocks(packet[4..], blocks);
    }

    /// <summary>Appends an SDES (§6.5) with one chunk holding the CNAME item (§6.5.1), the one item every compound needs.</summary>
    /// <exception cref="ArgumentException">The CNAME is empty, longer than 255 UTF-8 octets, or the buffer is full.</exception>
    public void WriteSourceDescription(uint ssrc, string cname)
    {
        ArgumentException.ThrowIfNullOrEmpty(cname);
        int textLength = Encoding.UTF8.GetByteCount(cname);
        if (textLength > byte.MaxValue)
        {
            throw new ArgumentException("An SDES item holds at most 255 octets.", nameof(cname));
        }

        // §6.5: SSRC, items (type, length, text), then at least one null octet ending the list, padded to 32 bits.
        int chunk = (4 + 2 + textLength + 1 + 3) & ~3;
        var packet = Begin(RtcpPacketType.SourceDescription, 1, chunk);
        BinaryPrimitives.WriteUInt32BigEndian(packet, ssrc);
        packet[4] = 1; // CNAME
        packet[5] = (byte)textLength;
        Encoding.UTF8.GetBytes(cname, packet[6..]);
        packet[(6 + textLength)..].Clear();
    }

    /// <summary>Appends a BYE (§6.6) for <paramref name="ssrc"/>, without a reason.</summary>
    /// <exception cref="ArgumentException">The buffer is full.</exception>
    public void WriteGoodbye(uint ssrc)
    {
        var packet = Begin(RtcpPacketType.Goodbye, 1, 4);
        BinaryPrimitives.WriteUInt32BigEndian(packet, ssrc);
    }

    private Span<byte> Begin(byte packetType, int count, int bodyLength)
    {
        if ((uint)count > 31)
        {
            throw new ArgumentException("An RTCP packet holds at most 31 report blocks or chunks.", nameof(count));
        }

        int length = RtcpPacket.HeaderLength + bodyLength;
        if (_buffer.Length - Length < length)
        {
            throw new ArgumentException("The RTCP buffer is full.", nameof(bodyLength));
        }

        var packet = _buffer.Slice(Length, length);
        packet[0] = (byte)(0x80 | count);
        packet[1] = packetType;

        // §6.4.1: the length field counts 32-bit words minus one, header included.
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)((length / 4) - 1));
        Length += length;
        return packet[RtcpPacket.HeaderLength..];
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination[(i * RtcpReportBlock.Length)..]);
        }
    }
}
