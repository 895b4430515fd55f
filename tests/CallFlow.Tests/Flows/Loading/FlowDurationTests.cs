using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>Durations as flows write them, read without YAML around them.</summary>
public sealed class FlowDurationTests
{
    [Theory]
    [InlineData("500ms", false, 0.5)]
    [InlineData("5s", false, 5)]
    [InlineData("1m30s", false, 90)]
    [InlineData("1.5h", false, 5400)]
    [InlineData("2", true, 2)]
    [InlineData("0.25", true, 0.25)]
    [InlineData("24h", false, 86400)]
    public void Reads_units_and_bare_seconds(string text, bool allowBareNumber, double seconds)
    {
        Assert.True(FlowDuration.TryParse(text, allowBareNumber, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("2", false)] // a quoted "2" is text, and text needs a unit
    [InlineData("5x", true)]
    [InlineData("s", true)]
    [InlineData("1m 30s", true)]
    [InlineData("-5s", true)]
    [InlineData("25h", true)] // more than a day
    [InlineData("86401", true)]
    [InlineData("99999999999m", true)] // large amounts are capped before they could overflow TimeSpan
    public void Rejects_what_is_not_a_duration_of_at_most_a_day(string text, bool allowBareNumber) =>
        Assert.False(FlowDuration.TryParse(text, allowBareNumber, out _));
}
