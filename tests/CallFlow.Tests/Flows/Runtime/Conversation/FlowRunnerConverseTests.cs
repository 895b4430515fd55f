using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.Conversation;

/// <summary>The flow continues from however the conversation ended.</summary>
public sealed class FlowRunnerConverseTests
{
    private static ConverseStep Converse(string? fallback = "sorry", string? next = "after") => new()
    {
        Name = "talk",
        Location = RunnerFlows.Here,
        Instructions = FlowTemplateParser.Parse("You work for {{ vars.company }}."),
        Goal = FlowTemplate.Literal("Solve the billing question."),
        Actions = ["goto_step", "transfer", "hangup", "set_variable"],
        Steps = ["billing"],
        TransferTo = FlowTemplate.Literal("sip:agent@pbx.example"),
        TransferMode = TransferMode.Bridge,
        MaxTurns = 5,
        Fallback = fallback,
        Next = next,
    };

    private static FlowDefinition Flow(ConverseStep converse, FlowHandlers? handlers = null) => RunnerFlows.Flow(
        handlers,
        converse,
        RunnerFlows.Say("billing", FlowTemplateParser.Parse("Billing for account {{ vars.account }}.")),
        RunnerFlows.Say("sorry", "Sorry."),
        RunnerFlows.Say("after", "Anything else?"),
        RunnerFlows.Say("oops", "Something went wrong."));

    private static async Task<(FlowResult Result, FakeCallChannel Inner, ConversingCallChannel Channel)> RunAsync(
        Func<ConverseRequest, ConverseResult> script, ConverseStep? step = null, FlowHandlers? handlers = null)
    {
        var inner = new FakeCallChannel();
        var channel = new ConversingCallChannel(inner, script);
        var runner = new FlowRunner(new FakeWebhookClient(), TimeProvider.System);
        var result = await runner.RunAsync(Flow(step ?? Converse(), handlers), channel, null, inner.CallEnded);
        return (result, inner, channel);
    }

    [Fact]
    public async Task The_model_is_given_the_rendered_instructions_goal_and_allowed_actions()
    {
        var (_, _, channel) = await RunAsync(_ => new ConverseResult(ConverseEnding.LimitReached, null, "turns", 5));

        var request = Assert.Single(channel.Requests);
        Assert.Equal("You work for Example Telecom.\n\nGoal of this conversation: Solve the billing question.", request.Instructions);
        Assert.Equal(["goto_step", "transfer", "hangup", "set_variable"], request.Actions);
        Assert.Equal(["billing"], request.Steps);
        Assert.Equal(("talk", 5), (request.Step, request.MaxTurns));
    }

    [Fact]
    public async Task Goto_step_continues_there_and_variables_the_model_set_are_visible()
    {
        var (result, inner, _) = await RunAsync(request =>
        {
            request.SetVariable("account", "4711");
            return new ConverseResult(ConverseEnding.GotoStep, "billing", "caller asked about a bill", 2);
        });

        Assert.Equal("Billing for account 4711.", Assert.Single(inner.Said).Text);
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task A_step_the_model_invents_takes_the_fallback()
    {
        var (_, inner, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.GotoStep, "after", "not allowed", 1));
        Assert.Equal("Sorry.", Assert.Single(inner.Said).Text);
    }

    [Fact]
    public async Task Hangup_ends_the_call_as_completed()
    {
        var (result, inner, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.Hangup, null, "caller said goodbye", 3));
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Equal("model-hangup", Assert.Single(inner.Hangups));
    }

    [Fact]
    public async Task Transfer_goes_to_the_configured_target_and_a_failed_one_takes_the_fallback()
    {
        var (result, inner, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.Transfer, null, "wants a person", 2));
        Assert.Equal(FlowOutcome.Transferred, result.Outcome);
        Assert.Equal(("sip:agent@pbx.example", TransferMode.Bridge), Assert.Single(inner.Transfers));
        Assert.Equal(TransferRequester.Model, Assert.Single(inner.TransferRequesters)); // CallTransferred.requestedBy: model

        var failing = new FakeCallChannel { TransferResult = new TransferOutcome(false, 486, "Busy Here") };
        var channel = new ConversingCallChannel(failing, _ => new ConverseResult(ConverseEnding.Transfer, null, "wants a person", 2));
        await new FlowRunner(new FakeWebhookClient(), TimeProvider.System).RunAsync(Flow(Converse()), channel, null, failing.CallEnded);
        Assert.Equal("Sorry.", Assert.Single(failing.Said).Text);
    }

    [Fact]
    public async Task Limits_continue_at_next()
    {
        var (_, inner, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.LimitReached, null, "5 turns", 5));
        Assert.Equal("Anything else?", Assert.Single(inner.Said).Text);
    }

    [Fact]
    public async Task When_no_endpoint_answers_the_fallback_step_runs_and_without_one_on_error_does()
    {
        var (_, inner, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.Failed, null, "no endpoint answered", 1));
        Assert.Equal("Sorry.", Assert.Single(inner.Said).Text);

        var handlers = new FlowHandlers { OnError = new ErrorHandler("oops", RunnerFlows.Here) };
        var (_, withoutFallback, _) = await RunAsync(_ => new ConverseResult(ConverseEnding.Failed, null, "no endpoint answered", 1), Converse(fallback: null), handlers);
        Assert.Equal("Something went wrong.", Assert.Single(withoutFallback.Said).Text);
    }

    [Fact]
    public async Task A_channel_that_cannot_converse_fails_the_step_with_a_clear_message()
    {
        var inner = new FakeCallChannel();
        var trace = new List<FlowTrace>();
        var result = await new FlowRunner(new FakeWebhookClient(), TimeProvider.System)
            .RunAsync(Flow(Converse(fallback: null)), inner, new Observer(trace), inner.CallEnded);

        Assert.Equal(FlowOutcome.Failed, result.Outcome);
        Assert.Contains("converse needs a model endpoint", result.Detail, StringComparison.Ordinal);
    }

    private sealed class Observer(List<FlowTrace> trace) : IFlowObserver
    {
        public void OnTrace(FlowTrace entry) => trace.Add(entry);
    }
}
