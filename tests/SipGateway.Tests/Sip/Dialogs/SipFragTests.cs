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

    [Theory]
    [InlineData(100, "Trying", "SIP/2.0 100 Trying\r\n")]
    [InlineData(503, "Service Unavailable", "SIP/2.0 503 Service Unavailable\r\n")]
    [InlineData(486, "Busy\r\nVia: injected", "SIP/2.0 486 BusyVia: injected\r\n")]
    [InlineData(200, "", "SIP/2.0 200 \r\n")]
    public void Formats_one_status_line_that_reads_back(int code, string reason, string expected)
    {
        var body = SipFrag.Format(code, reason);

        Assert.Equal(expected, body);
        Assert.True(SipFrag.TryParseStatus(body, out var parsed, out _));
        Assert.Equal(code, parsed);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(700)]
    public void Refuses_a_status_outside_the_sip_range(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SipFrag.Format(code, "x"));
}
