using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Dialogs;

public sealed class SipFragTests
{
    [Theory]
    [InlineData("SIP/2.0 100 Trying\r\n", 100, "Trying")]
    [InlineData("SIP/2.0 200 OK", 200, "OK")]
    [InlineData("SIP/2.0 603 Declined\r\nContent-Length: 0\r\n\r\n", 603, "Declined")]
    [InlineData("  SIP/2.0 180 Ringing\n", 180, "Ringing")]
    [InlineData("SIP/2.0 486", 486, "")]
    public void Reads_the_status_line(string body, int code, string reason)
    {
        Assert.True(SipFrag.TryParseStatus(body, out var parsed, out var parsedReason));
        Assert.Equal((code, reason), (parsed, parsedReason));
    }

    [Theory]
    [InlineData("")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\n")]
    [InlineData("SIP/2.0 99 Low\r\n")]
    [InlineData("SIP/2.0 2000 Big\r\n")]
    [InlineData("SIP/2.0 abc Bad\r\n")]
    [InlineData("SIP/1.0 200 OK\r\n")]
    public void Rejects_anything_else(string body)
    {
        Assert.False(SipFrag.TryParseStatus(body, out var code, out _));
        Assert.Equal(0, code);
    }
}
