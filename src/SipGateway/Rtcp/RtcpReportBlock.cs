using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>One reception report block of an SR or RR (RFC 3550 §6.4.1), 24 octets.</summary>
/// <param name="Ssrc">The source this block reports on.</param>
/// <param name="FractionLost">Packets lost since the previous report, as a fixed-point fraction of 256.</param>
/// <param name="CumulativeLost">Packets lost since reception began; a signed 24-bit value (negative with duplicates).</param>
/// <param name="ExtendedHighestSequence">Cycles in the high 16 bits, the highest sequence number in the low 16.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units (§6.4.1, A.8).</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last SR from that source; 0 when none.</param>
/// <param name="DelaySinceLastSenderReport">Delay from receiving that SR to sending this block, in 1/65536 s.</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>Octets in one block.</summary>
    public const int Length = 24;

    /// <summary>The largest and smallest cumulative loss a 24-bit signed field holds; larger values are clamped.</summary>
    public const int MaxCumulativeLost = 0x7FFFFF;

    /// <summary>See <see cref="MaxCumulativeLost"/>.</summary>
    public const int MinCumulativeLost = -0x800000;

    /// <summary>Reads a block from the first 24 octets of <paramref name="source"/> (the caller checked the length).</summary>
    public static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);

        // Sign-extend the 24-bit cumulative loss by shifting it into the top of an int and back.
        int cumulative = unchecked((int)(lossWord << 8)) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }

    /// <summary>Writes the block into the first 24 octets of <paramref name="destination"/>, clamping the cumulative loss.</summary>
    public void Write(Span<byte> destination)
    {
        int cumulative = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)cumulative & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }
}
