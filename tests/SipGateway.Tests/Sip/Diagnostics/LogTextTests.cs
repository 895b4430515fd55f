using StepAudio.Telephony.SipGateway.Sip.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Diagnostics;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("a84b4c76e66710@pc33.atlanta.com", "a84b4c76e66710@pc33.atlanta.com")]
    [InlineData("abc\r\nFAKE ENTRY", "abc\\x0D\\x0AFAKE ENTRY")]
    [InlineData("\u001b[31mred\u0000", "\\x1B[31mred\\x00")]
    [InlineData("del\u007fc1\u0085", "del\\x7Fc1\\x85")]
    [InlineData("caf\u00e9", "caf\u00e9")]
    public void Control_characters_are_escaped_and_the_rest_kept(string value, string expected) =>
        Assert.Equal(expected, LogText.Safe(value));

    [Fact]
    public void Long_values_are_cut()
    {
        var safe = LogText.Safe(new string('x', 5000));
        Assert.Equal(LogText.MaxLength + 1, safe.Length);
        Assert.EndsWith("…", safe, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_empty() => Assert.Equal(string.Empty, LogText.Safe(null));
}
