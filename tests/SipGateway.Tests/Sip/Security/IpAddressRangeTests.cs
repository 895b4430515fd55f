using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Security;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

public sealed class IpAddressRangeTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("192.0.2.0/24", "192.0.1.255", false)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.3.9", false)]
    [InlineData("10.1.2.3/8", "10.200.0.1", true)]
    [InlineData("128.0.0.0/1", "255.255.255.255", true)]
    [InlineData("128.0.0.0/1", "127.255.255.255", false)]
    [InlineData("0.0.0.0/0", "198.51.100.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("203.0.113.7/32", "203.0.113.6", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::/32", "192.0.2.1", false)]
    [InlineData("2001:db8:0:1::/63", "2001:db8:0:0:ffff::1", true)]
    [InlineData("2001:db8:0:1::/63", "2001:db8:0:2::1", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    [InlineData("::/0", "fe80::1", true)]
    public void Contains_follows_the_prefix_length(string range, string address, bool expected) =>
        Assert.Equal(expected, IpAddressRange.Parse(range).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0/8x")]
    [InlineData("trunk.example.com")]
    [InlineData("")]
    [InlineData(" ")]
    public void Invalid_ranges_are_refused(string text) => Assert.False(IpAddressRange.TryParse(text, out _));

    [Fact]
    public void Prefix_length_defaults_to_the_whole_address()
    {
        Assert.Equal(32, IpAddressRange.Parse("192.0.2.1").PrefixLength);
        Assert.Equal(128, IpAddressRange.Parse("2001:db8::1").PrefixLength);
    }
}
