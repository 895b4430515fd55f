namespace StepAudio.Telephony.CallEngine.Tests;

public sealed class DtmfSourcePinTests
{
    [Fact]
    public void The_first_source_heard_is_trusted_and_the_others_are_counted_and_ignored()
    {
        var pin = new DtmfSourcePin();
        Assert.Null(pin.Trusted);

        Assert.True(pin.Admits("rfc4733"));
        Assert.False(pin.Admits("info"));
        Assert.False(pin.Admits("inband"));
        Assert.True(pin.Admits("rfc4733"));

        Assert.Equal("rfc4733", pin.Trusted);
        Assert.Equal(2, pin.Ignored);
    }

    [Fact]
    public void Sources_differing_only_in_case_are_different_sources()
    {
        var pin = new DtmfSourcePin();

        Assert.True(pin.Admits("info"));
        Assert.False(pin.Admits("INFO"));
    }
}
