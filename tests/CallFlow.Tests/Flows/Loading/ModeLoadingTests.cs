using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>The fields that take one word of a fixed set: transfer and converse modes, recording delivery.</summary>
public sealed class ModeLoadingTests
{
    private const string Head = "flow: x\nstart: a\nsteps:\n  a:\n";

    [Theory]
    [InlineData("    transfer: { to: \"sip:a@b\", mode: blind }\n", "blind", "steps.a.transfer.mode", "expected refer or bridge, got 'blind'")]
    [InlineData("    transfer: { to: \"sip:a@b\", mode: 3 }\n", "3", "steps.a.transfer.mode", "expected refer or bridge, got number 3")]
    [InlineData("    transfer: { to: \"sip:a@b\", mode: Bridge }\n", "Bridge", "steps.a.transfer.mode", "expected refer or bridge, got 'Bridge'")]
    [InlineData(
        "    record: { webhook: { url: \"https://crm.example.com/vm\", mode: email } }\n",
        "email",
        "steps.a.record.webhook.mode",
        "expected upload (the audio in the request) or link (a URL to fetch it), got 'email'")]
    [InlineData(
        "    record: { webhook: { url: \"https://crm.example.com/vm\", mode: true } }\n",
        "true",
        "steps.a.record.webhook.mode",
        "expected upload or link, got boolean true")]
    [InlineData("    converse: { instructions: Help, transfer_mode: blind }\n", "blind", "steps.a.converse.transfer_mode", "expected refer or bridge, got 'blind'")]
    public void A_word_outside_the_set_is_reported_at_it(string step, string word, string field, string message)
    {
        var result = FlowLoader.LoadText(Head + step, "f.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((5, step.IndexOf(word, StringComparison.Ordinal) + 1, field, message), (error.Line, error.Column, error.Field, error.Message));
    }

    [Theory]
    [InlineData("    transfer: { to: \"sip:a@b\" }\n", TransferMode.Refer)]
    [InlineData("    transfer: { to: \"sip:a@b\", mode: refer }\n", TransferMode.Refer)]
    [InlineData("    transfer: { to: \"sip:a@b\", mode: bridge }\n", TransferMode.Bridge)]
    public void Transfer_mode_defaults_to_refer(string step, TransferMode mode)
    {
        var result = FlowLoader.LoadText(Head + step, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(mode, Assert.IsType<TransferStep>(result.Flow!.Steps["a"]).Mode);
    }

    [Theory]
    [InlineData("", RecordingDelivery.Upload)]
    [InlineData(", mode: upload", RecordingDelivery.Upload)]
    [InlineData(", mode: link", RecordingDelivery.Link)]
    public void Recording_delivery_defaults_to_upload(string mode, RecordingDelivery delivery)
    {
        var result = FlowLoader.LoadText(Head + "    record: { webhook: { url: \"https://crm.example.com/vm\"" + mode + " } }\n", "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(delivery, Assert.IsType<RecordStep>(result.Flow!.Steps["a"]).Webhook!.Mode);
    }
}
