using StepAudio.Telephony.SipGateway.Calls.Flows;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class CallInfoFactoryTests
{
    [Theory]
    [InlineData("sip:+15550100@gw.example.com", "+15550100")]
    [InlineData("sip:%2B4930123@10.0.0.1:5060;user=phone", "+4930123")]
    [InlineData("sip:gw.example.com", "sip:gw.example.com")]
    public void Numbers_are_the_uri_user_part(string uri, string expected) =>
        Assert.Equal(expected, CallInfoFactory.UserOf(uri));
}
