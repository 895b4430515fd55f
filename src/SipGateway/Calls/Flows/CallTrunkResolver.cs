using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Registration;
using StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Names the trunk an INVITE came from by its source address, for <c>trunk:</c> routes. Trunks come from
/// <c>CallFlow:Trunks</c>, then <c>SipSecurity:Trunks</c> (the same carriers, already listed for access control), then
/// the registrars of <c>Registrations</c>: a carrier we register with sends its calls from its registrar. The first
/// trunk whose ranges contain the address wins. Registrars given by name are not resolved: DNS has no place on the
/// path that answers a call.
/// </summary>
internal sealed class CallTrunkResolver
{
    private readonly (string Name, IpAddressRange Range)[] _ranges;

    public CallTrunkResolver(
        IEnumerable<FlowTrunkOptions> flowTrunks,
        IEnumerable<Sip.Security.TrunkOptions> securityTrunks,
        IEnumerable<Sip.Registration.TrunkOptions> registrations)
    {
        var ranges = new List<(string, IpAddressRange)>();
        foreach (var trunk in flowTrunks)
        {
            AddAll(ranges, trunk.Name, trunk.Addresses, "CallFlow:Trunks");
        }

        foreach (var trunk in securityTrunks)
        {
            AddAll(ranges, trunk.Name, trunk.Addresses, "SipSecurity:Trunks");
        }

        foreach (var trunk in registrations)
        {
            if (RegistrarAddress.TryParse(trunk.Registrar, out var registrar)
                && IPAddress.TryParse(registrar.Host.Trim('[', ']'), out var address))
            {
                ranges.Add((trunk.Name, IpAddressRange.Parse(address.ToString())));
            }
        }

        _ranges = [.. ranges];
    }

    /// <summary>The trunk's name, or <see langword="null"/> when no trunk lists <paramref name="source"/>.</summary>
    public string? Resolve(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        foreach (var (name, range) in _ranges)
        {
            if (range.Contains(source))
            {
                return name;
            }
        }

        return null;
    }

    private static void AddAll(List<(string, IpAddressRange)> ranges, string name, IEnumerable<string> addresses, string section)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{section}: every trunk needs a Name.");
        }

        foreach (var text in addresses)
        {
            if (!IpAddressRange.TryParse(text, out var range))
            {
                throw new ArgumentException($"{section}: trunk '{name}' has '{text}', which is not an address or CIDR range.");
            }

            ranges.Add((name, range));
        }
    }
}
