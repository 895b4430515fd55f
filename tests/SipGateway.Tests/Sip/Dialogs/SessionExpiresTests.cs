using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Dialogs;

public sealed class SessionExpiresTests
{
    [Theory]
    [InlineData("1800", 1800, null)]
    [InlineData("90;refresher=uas", 90, "uas")]
    [InlineData(" 4000 ; foo=bar ; Refresher = UAC", 4000, "uac")]
    [InlineData("300;refresher=proxy", 300, null)]
    public void Parses_delta_and_refresher(string value, int seconds, string? refresher)
    {
        Assert.True(SessionExpires.TryParse(value, out var parsed, out var who));
        Assert.Equal((seconds, refresher), (parsed, who));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc;refresher=uac")]
    public void Rejects_invalid_values(string? value)
    {
        Assert.False(SessionExpires.TryParse(value, out _, out _));
    }

    [Fact]
    public void List_lookup_is_case_insensitive_across_values()
    {
        Assert.True(SessionExpires.ListContains(["100rel", "replaces, Timer"], "timer"));
        Assert.False(SessionExpires.ListContains(["100rel, timers"], "timer"));
    }
}
