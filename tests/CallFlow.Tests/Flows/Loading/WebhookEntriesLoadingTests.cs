using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>The name-to-value mappings of a webhook: <c>headers</c> (templates) and <c>body</c> (values).</summary>
public sealed class WebhookEntriesLoadingTests
{
    private const string Head = "flow: x\nstart: a\nsteps:\n  a:\n    webhook:\n      url: \"https://crm.example.com/lookup\"\n";

    [Theory]
    [InlineData("      headers: [a]\n", "steps.a.webhook.headers", "expected a mapping of header names to values, got a list")]
    [InlineData("      body: token\n", "steps.a.webhook.body", "expected a mapping of field names to values, got 'token'")]
    [InlineData("      headers: { 5: k }\n", "steps.a.webhook.headers", "expected a header name, got number 5")]
    [InlineData("      body: { true: 1 }\n", "steps.a.webhook.body", "expected a field name, got boolean true")]
    [InlineData("      headers: { X-Key: \"{{ nosuch }}\" }\n", "steps.a.webhook.headers.X-Key", "unknown name 'nosuch'")]
    [InlineData("      body: { who: \"{{ nosuch }}\" }\n", "steps.a.webhook.body.who", "unknown name 'nosuch'")]
    public void A_bad_mapping_or_entry_is_reported_with_its_field(string line, string field, string message)
    {
        var result = FlowLoader.LoadText(Head + line, "f.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal((7, field), (error.Line, error.Field));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_entry_is_reported_in_one_pass()
    {
        var result = FlowLoader.LoadText(Head + "      body: { a: \"{{ nosuch }}\", b: 2, c: \"{{ other }}\" }\n", "f.yaml");

        Assert.Equal(["steps.a.webhook.body.a", "steps.a.webhook.body.c"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Headers_are_templates_and_body_values_keep_their_type()
    {
        var result = FlowLoader.LoadText(Head + "      headers: { X-Caller: \"{{ caller }}\" }\n      body: { n: 2, who: \"{{ caller }}\" }\n", "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var step = Assert.IsType<WebhookStep>(result.Flow!.Steps["a"]);
        Assert.Equal("{{ caller }}", step.Headers["x-caller"].Source);
        Assert.Equal(2, step.Body!["n"].Literal!.GetValue<double>());
        Assert.NotNull(step.Body["who"].Template);
    }
}
