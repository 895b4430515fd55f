using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>What the loader cannot check: a URL built from the call's values (each escaped) is checked when the step runs.</summary>
public sealed class ActionStepExecutorTests
{
    [Fact]
    public async Task A_webhook_url_that_renders_to_no_http_url_fails_the_step_without_sending()
    {
        var webhooks = new FakeWebhookClient();
        var step = new WebhookStep { Name = "lookup", Location = Here, Url = TestExpression.Template("", "vars.company") };
        using var channel = new FakeCallChannel();

        var (result, _) = await RunAsync(Flow(step), channel, webhooks);

        Assert.Equal(FlowOutcome.Failed, result.Outcome);
        Assert.Equal("webhook failed: webhook URL 'Example%20Telecom' is not an absolute http(s) URL", result.Detail);
        Assert.Empty(webhooks.Requests);
    }
}
