using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>Flows written in YAML, loaded by the real loader (expressions parsed, not hand-built) and run.</summary>
public sealed class FlowRunnerYamlTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static FlowDefinition Load(string yaml)
    {
        var loaded = FlowLoader.LoadText(yaml, "support.yaml");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Flow!;
    }

    [Fact]
    public async Task Support_flow_menu_webhook_set_record_and_hangup()
    {
        var webhooks = new FakeWebhookClient(_ => new WebhookResponse(200, JsonNode.Parse("""{"name": "Ada"}""")));
        // The caller id's + is escaped in the query (it would read as a space). The welcome takes 0-2 s and the menu prompt 2-4 s; the caller presses 2 at 5 s.
        using var channel = new FakeCallChannel().Press(S(5), "2");

        var (result, trace) = await RunnerFlows.RunAsync(Load(TestFlows.Support), channel, webhooks);

        Assert.Equal((FlowOutcome.Completed, "bye", "done"), (result.Outcome, result.LastStep, result.Detail));
        Assert.Equal("Thanks for calling Example Telecom.", channel.Said[0].Text);
        var request = Assert.Single(webhooks.Requests);
        Assert.Equal(("GET", new Uri("https://crm.example.com/lookup?caller=%2B15550001")), (request.Method, request.Url));
        Assert.Null(request.Body);
        Assert.Equal("message", Assert.Single(channel.Recordings).StepName);
        Assert.Contains(trace, t => t.Kind == "set" && t.Detail == "vars.attempts = 1");
        Assert.Equal(
            ["welcome", "menu", "route", "lookup", "remember", "message", "bye"],
            trace.Where(t => t.Kind == "step").Select(t => t.Step));
    }

    [Fact]
    public async Task A_url_that_opens_with_an_expression_keeps_it_as_the_base_address_and_escapes_the_rest()
    {
        const string yaml = """
            flow: lookup
            start: lookup
            variables:
              crm: "http://127.0.0.1:8089/api"
            steps:
              lookup:
                webhook:
                  url: "{{ vars.crm }}/lookup?caller={{ caller }}"
                  method: GET
            """;
        var webhooks = new FakeWebhookClient(_ => new WebhookResponse(200, null));
        using var channel = new FakeCallChannel();

        await RunnerFlows.RunAsync(Load(yaml), channel, webhooks);

        Assert.Equal(new Uri("http://127.0.0.1:8089/api/lookup?caller=%2B15550001"), Assert.Single(webhooks.Requests).Url);
    }

    [Fact]
    public async Task Support_flow_escalates_to_an_agent_when_the_caller_stays_frustrated()
    {
        using var channel = new FakeCallChannel().FrustrationAt(S(1), 0.9);

        var (result, trace) = await RunnerFlows.RunAsync(Load(TestFlows.Support), channel);

        // Above 0.7 for 3 s from 1 s: the flow leaves the menu prompt at 4 s for a bridged transfer.
        Assert.Equal((FlowOutcome.Transferred, "agent", "sip:agent@pbx.example.com"), (result.Outcome, result.LastStep, result.Detail));
        Assert.Equal([("sip:agent@pbx.example.com", TransferMode.Bridge)], channel.Transfers);
        Assert.Equal(S(4), trace.Single(t => t.Kind == "handler").At);
    }
}
