using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

public sealed class FlowRunnerActionTests
{
    private static WebhookStep Webhook(string? onFailure = null) => new()
    {
        Name = "lookup",
        Location = Here,
        Url = TestExpression.Template("https://crm.example/calls/", "call_id"),
        Headers = new Dictionary<string, FlowTemplate> { ["X-Company"] = TestExpression.Template("", "vars.company") },
        Body = new Dictionary<string, FlowValueSource> { ["reason"] = new(JsonValue.Create("billing"), null) },
        As = "account",
        OnFailure = onFailure,
        Next = "tell",
    };

    private static TransferStep Transfer() => new()
    {
        Name = "agent",
        Location = Here,
        To = TestExpression.Template("sip:agents@", "called"),
        OnFailure = "sorry",
    };

    private static FlowHandlers OnError(string step) => new() { OnError = new ErrorHandler(step, Here) };

    [Fact]
    public async Task Webhook_answer_is_usable_in_later_steps_and_the_request_carries_the_call()
    {
        var webhooks = new FakeWebhookClient(_ => new WebhookResponse(200, JsonNode.Parse("""{"balance": 42, "name": "Ada"}""")));
        var flow = Flow(Webhook(), Say("tell", TestExpression.Template("Hello ", "vars.account.name", ", you owe ", "vars.account.balance")));
        using var channel = new FakeCallChannel();

        var (result, _) = await RunAsync(flow, channel, webhooks);

        Assert.Equal("Hello Ada, you owe 42", channel.Said[^1].Text);
        var request = Assert.Single(webhooks.Requests);
        Assert.Equal(new Uri("https://crm.example/calls/call-1"), request.Url);
        Assert.Equal("POST", request.Method);
        Assert.Equal("Example Telecom", request.Headers["X-Company"]);
        Assert.Equal("call-1", (string?)request.Body!["call"]!["id"]);
        Assert.Equal("+15550001", (string?)request.Body["call"]!["caller"]);
        Assert.Equal("carrier-a", (string?)request.Body["call"]!["trunk"]);
        Assert.Equal("lookup", (string?)request.Body["step"]);
        Assert.Equal("Example Telecom", (string?)request.Body["vars"]!["company"]);
        Assert.Equal("billing", (string?)request.Body["reason"]);
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task Failed_webhook_goes_to_on_failure_before_on_error()
    {
        var webhooks = new FakeWebhookClient(_ => throw new FlowActionException("circuit open for host crm.example"));
        var flow = Flow(
            OnError("sorry"),
            Webhook(onFailure: "fallback"),
            Say("tell", "Told"),
            Say("fallback", TestExpression.Template("Fallback after ", "errors", " error")),
            Say("sorry", "Sorry"));
        using var channel = new FakeCallChannel();

        var (result, trace) = await RunAsync(flow, channel, webhooks);

        Assert.Equal("Fallback after 1 error", channel.Said[^1].Text);
        Assert.Contains(trace, t => t.Kind == "error" && t.Step == "lookup" && t.Detail.Contains("circuit open", StringComparison.Ordinal));
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task Failed_webhook_without_on_failure_goes_to_on_error()
    {
        var webhooks = new FakeWebhookClient(_ => throw new FlowActionException("HTTP 503"));
        var flow = Flow(OnError("sorry"), Webhook(), Say("tell", "Told"), Say("sorry", "Sorry"));
        using var channel = new FakeCallChannel();

        await RunAsync(flow, channel, webhooks);

        Assert.Equal(["Sorry"], channel.Said.Select(s => s.Text));
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_a_step_failure_and_nothing_is_sent()
    {
        var webhooks = new FakeWebhookClient();
        var flow = Flow(
            OnError("sorry"),
            Webhook() with { Url = TestExpression.Template("", "vars.company") },
            Say("tell", "Told"),
            Say("sorry", "Sorry"));
        using var channel = new FakeCallChannel();

        var (_, trace) = await RunAsync(flow, channel, webhooks);

        Assert.Empty(webhooks.Requests);
        Assert.Contains(trace, t => t.Kind == "error" && t.Detail.Contains("not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Equal(["Sorry"], channel.Said.Select(s => s.Text));
    }

    [Fact]
    public async Task Failure_without_any_handler_fails_the_call_in_that_step()
    {
        var flow = Flow(new RecordStep { Name = "voicemail", Location = Here, Next = "thanks" }, Say("thanks", "Thanks"));
        using var channel = new FakeCallChannel { RecordFailure = new FlowActionException("recording is not enabled") };

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal(FlowOutcome.Failed, result.Outcome);
        Assert.Equal("voicemail", result.LastStep);
        Assert.Contains("recording is not enabled", result.Detail, StringComparison.Ordinal);
        Assert.Empty(channel.Said);
    }

    [Fact]
    public async Task Failure_inside_the_error_path_fails_the_call()
    {
        var flow = Flow(
            OnError("sorry"),
            new PlayStep { Name = "intro", Location = Here, File = "missing.wav", Next = "done" },
            new PlayStep { Name = "sorry", Location = Here, File = "also-missing.wav", Next = "done" },
            Say("done", "Done"));
        using var channel = new FakeCallChannel();
        channel.MissingPrompts.UnionWith(["missing.wav", "also-missing.wav"]);

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal((FlowOutcome.Failed, "sorry"), (result.Outcome, result.LastStep));
    }

    [Fact]
    public async Task Successful_transfer_ends_the_flow_as_transferred_without_a_hang_up()
    {
        var flow = Flow(Transfer(), Say("sorry", "Sorry"));
        using var channel = new FakeCallChannel();

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal((FlowOutcome.Transferred, "agent", "sip:agents@+15550100"), (result.Outcome, result.LastStep, result.Detail));
        Assert.Equal([("sip:agents@+15550100", TransferMode.Refer)], channel.Transfers);
        Assert.Equal([TransferRequester.Flow], channel.TransferRequesters);
        Assert.Empty(channel.Hangups);
    }

    [Fact]
    public async Task Failed_transfer_goes_to_on_failure()
    {
        var flow = Flow(Transfer(), Say("sorry", "Sorry, nobody is free"));
        using var channel = new FakeCallChannel { TransferResult = new TransferOutcome(false, 486, "Busy Here") };

        var (result, trace) = await RunAsync(flow, channel);

        Assert.Equal("Sorry, nobody is free", channel.Said[^1].Text);
        Assert.Contains(trace, t => t.Kind == "error" && t.Detail.Contains("486", StringComparison.Ordinal));
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task Recording_is_stored_in_vars()
    {
        var flow = Flow(
            new RecordStep { Name = "voicemail", Location = Here, As = "message", Next = "thanks" },
            Say("thanks", TestExpression.Template("Saved ", "vars.message.seconds", " seconds")));
        using var channel = new FakeCallChannel();

        await RunAsync(flow, channel);

        Assert.Equal("Saved 3 seconds", channel.Said[^1].Text);
        Assert.Equal("voicemail", Assert.Single(channel.Recordings).StepName);
    }

    [Fact]
    public async Task Hangup_step_ends_completed_with_its_reason()
    {
        var flow = Flow(Say("bye", "Goodbye", "end"), new HangupStep { Name = "end", Location = Here, Reason = "after-hours" });
        using var channel = new FakeCallChannel();

        var (result, trace) = await RunAsync(flow, channel);

        Assert.Equal((FlowOutcome.Completed, "end", "after-hours"), (result.Outcome, result.LastStep, result.Detail));
        Assert.Equal(["after-hours"], channel.Hangups);
        Assert.Equal("end", trace[^1].Kind);
    }

    [Fact]
    public async Task Set_assigns_in_order_and_branch_takes_the_first_true_case()
    {
        var flow = Flow(
            Set("remember", "greeting", new FlowValueSource(null, TestExpression.Template("Hi from ", "vars.company")), "route"),
            new BranchStep
            {
                Name = "route",
                Location = Here,
                Cases =
                [
                    new BranchCase(TestExpression.Equal("vars.greeting", "nope"), "wrong", Here),
                    new BranchCase(TestExpression.Equal("vars.greeting", "Hi from Example Telecom"), "right", Here),
                    new BranchCase(TestExpression.Equal("caller", "+15550001"), "wrong", Here),
                ],
                Else = "wrong",
            },
            Say("right", "Right"),
            Say("wrong", "Wrong"));
        using var channel = new FakeCallChannel();

        await RunAsync(flow, channel);

        Assert.Equal(["Right"], channel.Said.Select(s => s.Text));
    }

    [Fact]
    public async Task A_loop_that_never_waits_fails_at_the_step_limit()
    {
        var flow = Flow(
            Set("a", "x", new FlowValueSource(JsonValue.Create(1), null), "b"),
            Set("b", "y", new FlowValueSource(JsonValue.Create(2), null), "a"));
        using var channel = new FakeCallChannel();

        var (result, trace) = await RunAsync(flow, channel, options: new FlowRunnerOptions { MaxSteps = 50 });

        Assert.Equal(FlowOutcome.Failed, result.Outcome);
        Assert.Contains("step limit", result.Detail, StringComparison.Ordinal);
        Assert.Equal(50, trace.Count(t => t.Kind == "step"));
    }

    [Fact]
    public async Task Unexpected_exceptions_fail_the_call_instead_of_escaping()
    {
        var flow = Flow(Say("boom", new FlowTemplate("{{ boom }}", [new FlowTemplatePart(null, new TestExpression("boom", _ => throw new InvalidOperationException("bug")))])));
        using var channel = new FakeCallChannel();

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal((FlowOutcome.Failed, "boom"), (result.Outcome, result.LastStep));
        Assert.Contains("bug", result.Detail, StringComparison.Ordinal);
    }
}
