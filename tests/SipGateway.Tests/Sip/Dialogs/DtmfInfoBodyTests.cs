using StepAudio.Telephony.SipGateway.Sip.Dialogs;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Dialogs;

public sealed class DtmfInfoBodyTests
{
    [Theory]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5', 160)]
    [InlineData("Application/DTMF-Relay; charset=us-ascii", "Duration= 250\nSignal = *\n", '*', 250)]
    [InlineData("application/dtmf-relay", "Signal=11\r\nDuration=100\r\n", '#', 100)]
    [InlineData("application/dtmf-relay", "Signal=d\r\n", 'D', 0)]
    [InlineData("application/dtmf", "7\r\n", '7', 0)]
    [InlineData("application/dtmf", "10", '*', 0)]
    public void Reads_one_digit(string contentType, string body, char digit, int durationMs)
    {
        Assert.True(DtmfInfoBody.TryParse(contentType, body, out var parsed, out var duration));
        Assert.Equal((digit, TimeSpan.FromMilliseconds(durationMs)), (parsed, duration));
    }

    [Theory]
    [InlineData("application/dtmf-relay", "Duration=160\r\n")]
    [InlineData("application/dtmf-relay", "Signal=55\r\n")]
    [InlineData("application/dtmf-relay", "Signal=5\r\nSignal=6\r\n")]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=-1\r\n")]
    [InlineData("application/dtmf", "E")]
    [InlineData("application/dtmf", "")]
    [InlineData("text/plain", "Signal=5")]
    [InlineData(null, "Signal=5")]
    public void Rejects_what_is_not_one_digit(string? contentType, string body)
    {
        Assert.False(DtmfInfoBody.TryParse(contentType, body, out _, out _));
    }

    [Theory]
    [InlineData('5', "Signal=5\r\nDuration=100\r\n")]
    [InlineData('#', "Signal=#\r\nDuration=100\r\n")]
    [InlineData('b', "Signal=B\r\nDuration=100\r\n")]
    public void Writes_what_it_reads(char digit, string expected)
    {
        var body = DtmfInfoBody.Format(digit, TimeSpan.FromMilliseconds(100));

        Assert.Equal(expected, body);
        Assert.True(DtmfInfoBody.TryParse(DtmfInfoBody.DtmfRelay, body, out var parsed, out var duration));
        Assert.Equal((char.ToUpperInvariant(digit), TimeSpan.FromMilliseconds(100)), (parsed, duration));
    }

    [Theory]
    [InlineData('E')]
    [InlineData('x')]
    [InlineData(' ')]
    public void Refuses_to_write_what_is_not_a_key(char digit) =>
        Assert.Throws<ArgumentException>(() => DtmfInfoBody.Format(digit, TimeSpan.FromMilliseconds(100)));
}
