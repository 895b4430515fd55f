using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtcp;

/// <summary>
/// Walks the packets of a compound RTCP packet without allocating. <see cref="Validate"/> applies the header validity
/// checks of RFC 3550 §6.4.1 / Appendix A.2 first; only a compound that passes is walked.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    /// <summary>Starts reading <paramref name="compound"/>; call <see cref="Validate"/> on it first.</summary>
    public RtcpCompoundReader(ReadOnlySpan<byte> compound)
    {
        _remaining = compound;
        Current = default;
    }

    /// <summary>The packet <see cref="MoveNext"/> stopped on.</summary>
    public RtcpPacket Current { get; private set; }

    /// <summary>
    /// RFC 3550 Appendix A.2: every packet has version 2, the first is an SR or RR, only the last may be padded, and the
    /// length fields add up exactly to the datagram. Never throws.
    /// </summary>
    public static bool Validate(ReadOnlySpan<byte> compound)
    {
        if (compound.Length < 8 || (compound.Length & 3) != 0)
        {
            return false;
        }

        byte firstType = compound[1];
        if (firstType is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
        {
            return false;
        }

        int offset = 0;
        while (offset < compound.Length)
        {
            if (compound.Length - offset < RtcpPacket.HeaderLength || compound[offset] >> 6 != 2)
            {
                return false;
            }

            int length = (BinaryPrimitives.ReadUInt16BigEndian(compound[(offset + 2)..]) + 1) * 4;
            if (length > compound.Length - offset)
            {
                return false;
            }

            bool padded = (compound[offset] & 0x20) != 0;
            bool last = offset + length == compound.Length;
            if (padded && (!last || !HasValidPadding(compound.Slice(offset, length))))
            {
                return false;
            }

            offset += length;
        }

        return true;
    }

    /// <summary>Moves to the next packet; false at the end or when the rest is malformed (never throws).</summary>
    public bool MoveNext()
    {
        if (_remaining.Length < RtcpPacket.HeaderLength)
        {
            return false;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]) + 1) * 4;
        if (length > _remaining.Length)
        {
            _remaining = default;
            return false;
        }

        var packet = _remaining[..length];
        _remaining = _remaining[length..];
        int end = length;
        if ((packet[0] & 0x20) != 0)
        {
            if (!HasValidPadding(packet))
            {
                _remaining = default;
                return false;
            }

            end -= packet[^1];
        }

        Current = new RtcpPacket(packet[1], packet[0] & 0x1F, packet[RtcpPacket.HeaderLength..end]);
        return true;
    }

    // §6.4.1: the last padding octet counts the padding octets, itself included; it may not eat into the header.
    private static bool HasValidPadding(ReadOnlySpan<byte> packet) =>
        packet[^1] != 0 && packet[^1] <= packet.Length - RtcpPacket.HeaderLength;
}
