using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

public sealed class SipContactAddressTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 40000);

    [Theory]
    [InlineData(SipTransportProtocol.Udp, "sip:a@gw", "<sip:10.0.0.1:5060>")]
    [InlineData(SipTransportProtocol.Tcp, "sip:a@gw", "<sip:10.0.0.1:5060;transport=tcp>")]
    [InlineData(SipTransportProtocol.Tls, "sip:a@gw", "<sip:10.0.0.1:5061;transport=tls>")]
    [InlineData(SipTransportProtocol.Tls, "SIPS:a@gw", "<sips:10.0.0.1:5061>")] // RFC 3261 §12.1.1: sips in, sips Contact
    public void Names_the_transport_and_the_tls_port(SipTransportProtocol protocol, string requestUri, string expected) =>
        Assert.Equal(expected, SipContactAddress.For(new SipEndPoint(protocol, Peer, 1), requestUri, "10.0.0.1:5060", 5061));

    [Fact]
    public void Keeps_ipv6_brackets_when_it_swaps_the_port() =>
        Assert.Equal("<sips:[2001:db8::1]:5061>", SipContactAddress.For(new SipEndPoint(SipTransportProtocol.Tls, Peer, 1), "sips:a@gw", "[2001:db8::1]:5060", 5061));
}
