using StepAudio.Telephony.Cli.Flows.Simulate;

namespace StepAudio.Telephony.Cli.Tests.Flows;

public sealed class DtmfScriptTests
{
    [Fact]
    public void Parses_space_and_comma_separated_items_in_time_order()
    {
        var keys = DtmfScript.Parse("#@12s, 1@3.5s 2@800ms,*@1m");

        Assert.Equal(
            [new('2', TimeSpan.FromMilliseconds(800)), new('1', TimeSpan.FromSeconds(3.5)), new('#', TimeSpan.FromSeconds(12)), new DtmfKeyPress('*', TimeSpan.FromMinutes(1))],
            keys);
    }

    [Fact]
    public void A_plain_number_is_seconds() => Assert.Equal(TimeSpan.FromSeconds(4), DtmfScript.Parse("5@4").Single().At);

    [Fact]
    public void Empty_script_has_no_keys() => Assert.Empty(DtmfScript.Parse("  "));

    [Theory]
    [InlineData("1")]
    [InlineData("x@3s")]
    [InlineData("12@3s")]
    [InlineData("1@soon")]
    [InlineData("1@-2s")]
    public void Rejects_malformed_items_naming_them(string item)
    {
        var error = Assert.Throws<FormatException>(() => DtmfScript.Parse($"2@1s {item}"));

        Assert.Contains($"'{item}'", error.Message, StringComparison.Ordinal);
    }
}
