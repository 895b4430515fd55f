using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>
/// A view over one packet of a compound RTCP packet (RFC 3550 §6.4–§6.7): the common header fields and the body after
/// the 4-octet header, padding removed. Produced by <see cref="RtcpCompoundReader"/>, which has checked the lengths.
/// </summary>
public readonly ref struct RtcpPacket
{
    /// <summary>Octets of the common header (V, P, count, PT, length).</summary>
    public const int HeaderLength = 4;

    internal RtcpPacket(byte packetType, int count, ReadOnlySpan<byte> body)
    {
        PacketType = packetType;
        Count = count;
        Body = body;
    }

    /// <summary>See <see cref="RtcpPacketType"/>.</summary>
    public byte PacketType { get; }

    /// <summary>The 5-bit count field: report blocks (SR/RR), chunks (SDES) or sources (BYE).</summary>
    public int Count { get; }

    /// <summary>Everything after the common header, without padding.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The first SSRC of the body (the sender of an SR/RR, the first source of SDES/BYE); 0 when absent.</summary>
    public uint Ssrc => Body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;

    /// <summary>The sender information of an SR; false for other types or a body too short for it.</summary>
    public bool TryGetSenderInfo(out RtcpSenderInfo senderInfo)
    {
        if (PacketType != RtcpPacketType.SenderReport || Body.Length < 4 + RtcpSenderInfo.Length)
        {
            senderInfo = default;
            return false;
        }

        senderInfo = RtcpSenderInfo.Read(Body[4..]);
        return true;
    }

    /// <summary>
    /// The report blocks of an SR or RR that fit in the body (a count larger than the body allows is cut short rather
    /// than trusted); empty for other types.
    /// </summary>
    public ReadOnlySpan<byte> ReportBlocks
    {
        get
        {
            int offset = PacketType switch
            {
                RtcpPacketType.SenderReport => 4 + RtcpSenderInfo.Length,
                RtcpPacketType.ReceiverReport => 4,
                _ => -1,
            };
            if (offset < 0 || Body.Length < offset)
            {
                return default;
            }

            int blocks = Math.Min(Count, (Body.Length - offset) / RtcpReportBlock.Length);
            return Body.Slice(offset, blocks * RtcpReportBlock.Length);
        }
    }
}
