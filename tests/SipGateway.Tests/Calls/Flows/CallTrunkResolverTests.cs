using System.Net;
using StepAudio.Telephony.SipGateway.Calls.Flows;
using Registration = StepAudio.Telephony.SipGateway.Sip.Registration;
using Security = StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class CallTrunkResolverTests
{
    private static FlowTrunkOptions Trunk(string name, params string[] addresses)
    {
        var trunk = new FlowTrunkOptions { Name = name };
        foreach (var address in addresses)
        {
            trunk.Addresses.Add(address);
        }

        return trunk;
    }

    [Theory]
    [InlineData("10.1.2.3", "carrier-a")]
    [InlineData("203.0.113.5", "carrier-b")]
    [InlineData("203.0.113.6", null)]
    [InlineData("192.0.2.44", "registered")]
    [InlineData("::ffff:10.9.9.9", "carrier-a")]
    public void Source_address_names_the_first_trunk_that_lists_it(string source, string? expected)
    {
        var resolver = new CallTrunkResolver(
            [Trunk("carrier-a", "10.0.0.0/8"), Trunk("carrier-b", "203.0.113.5")],
            [],
            [new Registration.TrunkOptions { Name = "registered", Registrar = "192.0.2.44:5060" }]);

        Assert.Equal(expected, resolver.Resolve(IPAddress.Parse(source)));
    }

    [Fact]
    public void Access_control_trunks_name_calls_too_and_registrars_by_host_name_are_not_resolved()
    {
        var security = new Security.TrunkOptions { Name = "acl" };
        security.Addresses.Add("198.51.100.0/24");
        var resolver = new CallTrunkResolver([], [security], [new Registration.TrunkOptions { Name = "dns", Registrar = "localhost" }]);

        Assert.Equal("acl", resolver.Resolve(IPAddress.Parse("198.51.100.7")));
        Assert.Null(resolver.Resolve(IPAddress.Loopback));
    }

    [Fact]
    public void A_bad_address_is_a_configuration_error_that_names_the_trunk()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CallTrunkResolver([Trunk("carrier-a", "10.0.0.0/99")], [], []));

        Assert.Contains("carrier-a", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/99", ex.Message, StringComparison.Ordinal);
    }
}
