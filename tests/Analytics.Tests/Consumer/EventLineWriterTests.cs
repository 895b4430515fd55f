using StepAudio.Telephony.Analytics.Consumer.Printing;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Tests.Consumer;

public sealed class EventLineWriterTests
{
    [Fact]
    public void A_line_is_for_people_a_plus_stays_a_plus_and_quotes_are_still_escaped()
    {
        using var output = new StringWriter();
        var started = new CallStarted(Guid.Empty, "c-1", 1, DateTimeOffset.UnixEpoch, "sip:+15551234@trunk.example", "sip:\"support\"@gw", "PCMU/8000");

        new EventLineWriter(output).Write(started);

        var line = output.ToString().TrimEnd();
        Assert.StartsWith("CallStarted {", line, StringComparison.Ordinal);
        Assert.Contains("\"from\":\"sip:+15551234@trunk.example\"", line, StringComparison.Ordinal);
        Assert.Contains("\"to\":\"sip:\\\"support\\\"@gw\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", line, StringComparison.Ordinal);
    }
}
