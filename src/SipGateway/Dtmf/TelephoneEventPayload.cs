using System.Buffers.Binary;

namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>
/// The 4-octet payload of an RFC 4733 named-event packet (§2.3): event code, end bit, volume and the duration so far
/// in timestamp units. Parsing never throws; extra octets (redundant generations, §2.5.1.4) are not read.
/// </summary>
public readonly record struct TelephoneEventPayload(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Octets in one event block.</summary>
    public const int Length = 4;

    /// <summary>Reads the first event block of <paramref name="payload"/>; false when it is shorter than 4 octets.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEventPayload value)
    {
        if (payload.Length < Length)
        {
            value = default;
            return false;
        }

        value = new TelephoneEventPayload(
            payload[0],
            End: (payload[1] & 0x80) != 0,
            Volume: (byte)(payload[1] & 0x3F),
            Duration: BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes the block; the R bit is always zero (§2.3: "reserved for future use ... MUST be zero").</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 4 octets.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("A telephone-event block needs 4 octets.", nameof(destination));
        }

        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
    }
}
