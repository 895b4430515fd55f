using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>The sender information section of an SR (RFC 3550 §6.4.1), 20 octets.</summary>
/// <param name="NtpTimestamp">Wallclock time when the report was sent, 64-bit NTP format (§4).</param>
/// <param name="RtpTimestamp">The same instant in the units of the RTP timestamps.</param>
/// <param name="PacketCount">RTP packets sent since the start of transmission.</param>
/// <param name="OctetCount">RTP payload octets sent since the start of transmission.</param>
public readonly record struct RtcpSenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>Octets in the section.</summary>
    public const int Length = 20;

    /// <summary>The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (§6.4.1).</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    /// <summary>Reads the section from the first 20 octets of <paramref name="source"/> (the caller checked the length).</summary>
    public static RtcpSenderInfo Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64BigEndian(source),
        BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[16..]));

    /// <summary>Writes the section into the first 20 octets of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], OctetCount);
    }
}
