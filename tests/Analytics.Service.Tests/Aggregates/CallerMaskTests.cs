using StepAudio.Telephony.Analytics.Service.Aggregates;

namespace StepAudio.Telephony.Analytics.Service.Tests.Aggregates;

public sealed class CallerMaskTests
{
    [Theory]
    [InlineData("sip:+4930123456@trunk.example", "•••••••3456")]
    [InlineData("sips:alice.smith@example.com;transport=tls", "•••••••mith")]
    [InlineData("tel:+15551234567;phone-context=example", "••••••••4567")]
    [InlineData("sip:1234@pbx", "••••")]
    [InlineData("sip:12@pbx", "••••")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Only_the_last_four_characters_of_the_user_part_are_shown(string? from, string expected)
    {
        Assert.Equal(expected, CallerMask.Mask(from));
    }
}
