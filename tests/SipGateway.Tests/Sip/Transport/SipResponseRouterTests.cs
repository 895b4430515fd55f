using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

public sealed class SipResponseRouterTests
{
    [Fact]
    public void Empty_rport_gets_source_port_and_received_and_responses_go_to_the_source()
    {
        var request = Parse("SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa;rport");
        var source = IPEndPoint.Parse("203.0.113.9:40123");
        SipResponseRouter.StampTopVia(request, source);

        Assert.Equal("SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa;rport=40123;received=203.0.113.9", request.Headers.GetFirst(SipHeaderId.Via));
        Assert.Equal(source, SipResponseRouter.ResolveDestination(request.TopVia!, source));
    }

    [Fact]
    public void Different_sent_by_gets_received_and_keeps_sent_by_port()
    {
        var request = Parse("SIP/2.0/UDP 10.0.0.2:5070;branch=z9hG4bKa");
        var source = IPEndPoint.Parse("203.0.113.9:40123");
        SipResponseRouter.StampTopVia(request, source);

        Assert.Equal("203.0.113.9", request.TopVia!.Received);
        Assert.Equal(IPEndPoint.Parse("203.0.113.9:5070"), SipResponseRouter.ResolveDestination(request.TopVia, source));
    }

    [Fact]
    public void Matching_sent_by_is_left_alone_and_default_port_is_5060()
    {
        var request = Parse("SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKa");
        var source = IPEndPoint.Parse("192.0.2.4:5999");
        SipResponseRouter.StampTopVia(request, source);

        Assert.Equal("SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKa", request.Headers.GetFirst(SipHeaderId.Via));
        Assert.Equal(IPEndPoint.Parse("192.0.2.4:5060"), SipResponseRouter.ResolveDestination(request.TopVia!, source));
    }

    private static SipRequest Parse(string via)
    {
        var text = $"OPTIONS sip:a@b SIP/2.0\r\nVia: {via}\r\nTo: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n";
        var result = SipMessageParser.Parse(Encoding.ASCII.GetBytes(text));
        Assert.True(result.Success, result.Error?.ToString());
        return (SipRequest)result.Message;
    }
}
