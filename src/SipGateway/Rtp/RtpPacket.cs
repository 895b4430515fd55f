using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// A view over one received RTP packet (RFC 3550 §5.1). Parsing validates the fixed header, the CSRC list, the
/// header extension (§5.3.1) and padding (§5.1) against the datagram length and never throws.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>The only RTP version in use (RFC 3550 §5.1).</summary>
    public const int Version = 2;

    /// <summary>Length of the fixed header without CSRCs.</summary>
    public const int FixedHeaderLength = 12;

    private RtpPacket(
        bool marker,
        byte payloadType,
        ushort sequenceNumber,
        uint timestamp,
        uint ssrc,
        int csrcCount,
        bool hasExtension,
        int paddingLength,
        ReadOnlySpan<byte> payload)
    {
        Marker = marker;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        CsrcCount = csrcCount;
        HasExtension = hasExtension;
        PaddingLength = paddingLength;
        Payload = payload;
    }

    /// <summary>The M bit; for audio it marks the first packet of a talkspurt (RFC 3551 §4.1).</summary>
    public bool Marker { get; }

    /// <summary>The 7-bit payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>The 16-bit sequence number.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>The sampling instant of the first payload octet, in clock-rate units.</summary>
    public uint Timestamp { get; }

    /// <summary>The synchronisation source identifier.</summary>
    public uint Ssrc { get; }

    /// <summary>Number of contributing sources listed (CC field).</summary>
    public int CsrcCount { get; }

    /// <summary>Whether the X bit was set; the extension itself is skipped.</summary>
    public bool HasExtension { get; }

    /// <summary>Number of padding octets removed from the end, including the count octet itself.</summary>
    public int PaddingLength { get; }

    /// <summary>The payload with header, CSRCs, extension and padding removed.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Parses <paramref name="datagram"/>; returns false (never throws) when it is not a valid RTP packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet)
    {
        packet = default;
        if (datagram.Length < FixedHeaderLength)
        {
            return false;
        }

        byte first = datagram[0];
        if (first >> 6 != Version)
        {
            return false;
        }

        bool hasPadding = (first & 0x20) != 0;
        bool hasExtension = (first & 0x10) != 0;
        int csrcCount = first & 0x0F;
        int headerLength = FixedHeaderLength + (4 * csrcCount);
        if (datagram.Length < headerLength)
        {
            return false;
        }

        if (hasExtension)
        {
            // RFC 3550 §5.3.1: 16-bit profile-defined field, 16-bit length in 32-bit words excluding this word.
            if (datagram.Length < headerLength + 4)
            {
                return false;
            }

            int extensionWords = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(headerLength + 2));
            headerLength += 4 + (4 * extensionWords);
            if (datagram.Length < headerLength)
            {
                return false;
            }
        }

        int end = datagram.Length;
        int paddingLength = 0;
        if (hasPadding)
        {
            // RFC 3550 §5.1: the last octet counts the padding octets including itself, so it cannot be zero.
            paddingLength = datagram[^1];
            if (paddingLength == 0 || paddingLength > end - headerLength)
            {
                return false;
            }

            end -= paddingLength;
        }

        byte second = datagram[1];
        packet = new RtpPacket(
            marker: (second & 0x80) != 0,
            payloadType: (byte)(second & 0x7F),
            sequenceNumber: BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(2)),
            timestamp: BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(4)),
            ssrc: BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(8)),
            csrcCount: csrcCount,
            hasExtension: hasExtension,
            paddingLength: paddingLength,
            payload: datagram[headerLength..end]);
        return true;
    }
}
