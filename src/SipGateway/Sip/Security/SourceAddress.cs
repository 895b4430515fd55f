using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>
/// An IP address as a value (IPv4 in the low 32 bits), so that it can key tables and be compared against ranges
/// without allocating. IPv4-mapped IPv6 addresses (dual-stack sockets) become their IPv4 address.
/// </summary>
public readonly record struct SourceAddress(UInt128 Value, bool IsIPv4)
{
    public static SourceAddress From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("Unsupported address.", nameof(address));
        }

        if (written == 4)
        {
            return new SourceAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes), true);
        }

        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return address.IsIPv4MappedToIPv6
            ? new SourceAddress((uint)value, true)
            : new SourceAddress(value, address.AddressFamily != AddressFamily.InterNetworkV6);
    }
}
