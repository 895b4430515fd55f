using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>A field a verb cannot do without is reported missing at the verb's mapping, with its full field path.</summary>
public sealed class RequiredFieldLoadingTests
{
    private const string Head = "flow: x\nstart: a\nsteps:\n  a:\n";

    [Theory]
    [InlineData("    play: { loop: 2 }\n", 11, "steps.a.play.file", "missing required field 'file'")]
    [InlineData("    say: { voice: en }\n", 10, "steps.a.say.text", "missing required field 'text'")]
    [InlineData("    webhook: { method: GET }\n", 14, "steps.a.webhook.url", "missing required field 'url'")]
    [InlineData("    transfer: { mode: bridge }\n", 15, "steps.a.transfer.to", "missing required field 'to'")]
    [InlineData("    record: { webhook: { keep: true } }\n", 24, "steps.a.record.webhook.url", "missing required field 'url'")]
    [InlineData(
        "    converse: { goal: help }\n",
        15,
        "steps.a.converse.instructions",
        "missing required field 'instructions' (what the model is and should do)")]
    public void Missing_required_field_is_reported_at_the_mapping(string step, int column, string field, string message)
    {
        var result = FlowLoader.LoadText(Head + step, "f.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((5, column, field, message), (error.Line, error.Column, error.Field, error.Message));
    }

    [Fact]
    public void A_required_field_that_is_present_but_wrong_is_reported_once_as_wrong()
    {
        var result = FlowLoader.LoadText(Head + "    transfer: { to: \"http://x\" }\n", "f.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("steps.a.transfer.to", error.Field);
        Assert.StartsWith("expected a sip:, sips: or tel: URI", error.Message, StringComparison.Ordinal);
    }
}
