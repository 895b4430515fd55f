using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>An address or CIDR range ("203.0.113.7", "198.51.100.0/24", "2001:db8::/32").</summary>
public sealed class IpAddressRange
{
    private readonly UInt128 _network;
    private readonly UInt128 _mask;
    private readonly bool _isIPv4;

    private IpAddressRange(SourceAddress network, int prefixLength)
    {
        var bits = network.IsIPv4 ? 32 : 128;
        _isIPv4 = network.IsIPv4;
        _mask = prefixLength == 0 ? UInt128.Zero : (UInt128.MaxValue << (bits - prefixLength)) & (network.IsIPv4 ? uint.MaxValue : UInt128.MaxValue);
        _network = network.Value & _mask;
        PrefixLength = prefixLength;
    }

    public int PrefixLength { get; }

    public static IpAddressRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"'{text}' is not an IP address or CIDR range.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out IpAddressRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan().Trim() : text.AsSpan(0, slash).Trim();
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var network = SourceAddress.From(address);
        var bits = network.IsIPv4 ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        range = new IpAddressRange(network, prefix);
        return true;
    }

    public bool Contains(SourceAddress address) => address.IsIPv4 == _isIPv4 && (address.Value & _mask) == _network;

    public bool Contains(IPAddress address) => Contains(SourceAddress.From(address));
}
