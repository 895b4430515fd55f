using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>Writes RTP packets with a 12-byte fixed header (no CSRCs, extension or padding; RFC 3550 §5.1).</summary>
public static class RtpPacketWriter
{
    /// <summary>Writes the fixed header followed by <paramref name="payload"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small or the payload type is not 7-bit.</exception>
    public static int Write(
        Span<byte> destination,
        bool marker,
        int payloadType,
        ushort sequenceNumber,
        uint timestamp,
        uint ssrc,
        ReadOnlySpan<byte> payload)
    {
        WriteHeader(destination, marker, payloadType, sequenceNumber, timestamp, ssrc);
        if (destination.Length < RtpPacket.FixedHeaderLength + payload.Length)
        {
            throw new ArgumentException("The destination cannot hold the header and payload.", nameof(destination));
        }

        payload.CopyTo(destination.Slice(RtpPacket.FixedHeaderLength));
        return RtpPacket.FixedHeaderLength + payload.Length;
    }

    /// <summary>Writes only the 12-byte fixed header, for callers that encode the payload in place after it.</summary>
    public static void WriteHeader(
        Span<byte> destination,
        bool marker,
        int payloadType,
        ushort sequenceNumber,
        uint timestamp,
        uint ssrc)
    {
        if (destination.Length < RtpPacket.FixedHeaderLength)
        {
            throw new ArgumentException("The destination cannot hold an RTP header.", nameof(destination));
        }

        if ((uint)payloadType > 0x7F)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "RTP payload types are 7-bit.");
        }

        destination[0] = RtpPacket.Version << 6;
        destination[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ssrc);
    }
}
