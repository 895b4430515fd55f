using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

public sealed class FlowRunnerHandlerTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static GatherStep Menu(TimeSpan timeout) => new()
    {
        Name = "menu",
        Location = Here,
        Say = FlowTemplate.Literal("Press a key"),
        Timeout = timeout,
        Retries = 0,
        Next = "done",
    };

    private static FlowHandlers Silence(double seconds) => new() { OnSilence = new SilenceHandler(S(seconds), "still_there", Here) };

    private static FlowHandlers Frustration(bool once) =>
        new() { OnFrustration = new FrustrationHandler(0.7, S(2), "agent", once, Here) };

    [Fact]
    public async Task On_silence_fires_after_the_wait_not_counting_the_prompt()
    {
        var flow = Flow(Silence(5), Menu(S(30)), Say("done", "Done"), Say("still_there", "Are you still there?"));
        using var channel = new FakeCallChannel();

        var (result, trace) = await RunAsync(flow, channel);

        // The prompt ends at 2 s; five silent seconds later the handler takes over.
        Assert.Equal(("Are you still there?", S(7)), (channel.Said[^1].Text, channel.Said[^1].At));
        Assert.Contains(trace, t => t.Kind == "handler" && t.Step == "menu" && t.Detail.StartsWith("on_silence", StringComparison.Ordinal));
        Assert.Equal("still_there", result.LastStep);
    }

    [Fact]
    public async Task Caller_activity_during_the_wait_postpones_on_silence()
    {
        var flow = Flow(Silence(5), Menu(S(30)), Say("done", "Done"), Say("still_there", "Are you still there?"));
        // Speech is not an answer to a keys-only menu, but it is activity: silence counts again from its end at 5 s.
        using var channel = new FakeCallChannel().Speak(S(4), S(1));

        await RunAsync(flow, channel);

        Assert.Equal(S(10), channel.Said[^1].At);
    }

    [Fact]
    public async Task On_silence_does_not_fire_during_prompts()
    {
        var flow = Flow(Silence(1), Say("welcome", "A long welcome", "menu"), Menu(S(0.5)) with { NoInput = "done" }, Say("done", "Done"), Say("still_there", "Are you still there?"));
        using var channel = new FakeCallChannel();
        channel.PromptLengths["A long welcome"] = S(10);

        var (_, trace) = await RunAsync(flow, channel);

        // Ten seconds of welcome and a 0.5 s wait: the handler never saw one silent second of waiting.
        Assert.Equal(["A long welcome", "Press a key", "Done"], channel.Said.Select(s => s.Text));
        Assert.DoesNotContain(trace, t => t.Kind == "handler");
    }

    [Fact]
    public async Task On_frustration_interrupts_a_long_say()
    {
        var flow = Flow(Frustration(once: true), Say("explain", "Long explanation"), Say("agent", "Connecting you"));
        using var channel = new FakeCallChannel().FrustrationAt(S(1), 0.9);
        channel.PromptLengths["Long explanation"] = S(10);

        var (result, trace) = await RunAsync(flow, channel);

        // Above 0.7 from 1 s, for 2 s: the explanation stops at 3 s instead of 10 s.
        Assert.Equal(("Connecting you", S(3)), (channel.Said[^1].Text, channel.Said[^1].At));
        Assert.Contains(trace, t => t.Kind == "handler" && t.Step == "explain");
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task Frustration_that_dips_below_the_threshold_starts_its_clock_again()
    {
        var flow = Flow(Frustration(once: true), Say("explain", "Long explanation"), Say("agent", "Connecting you"));
        using var channel = new FakeCallChannel().FrustrationAt(S(1), 0.9).FrustrationAt(S(2.5), 0.2).FrustrationAt(S(4), 0.9);
        channel.PromptLengths["Long explanation"] = S(10);

        await RunAsync(flow, channel);

        Assert.Equal(S(6), channel.Said[^1].At);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Once_fires_a_single_time_and_the_handler_never_interrupts_its_own_target(bool once)
    {
        var flow = Flow(
            Frustration(once),
            Say("welcome", "Long welcome"),
            Say("agent", "Agent", "back"),
            Say("back", "Long back"));
        // Frustrated from 1 s to 5 s and again from 9 s on; the caller hangs up at 20 s.
        using var channel = new FakeCallChannel().FrustrationAt(S(1), 0.9).FrustrationAt(S(5), 0.1).FrustrationAt(S(9), 0.9).HangUpAt(S(20));
        channel.PromptLengths["Long welcome"] = S(10);
        channel.PromptLengths["Agent"] = S(4);
        channel.PromptLengths["Long back"] = S(10);

        var (_, trace) = await RunAsync(flow, channel);

        var fired = trace.Where(t => t.Kind == "handler").ToList();
        if (once)
        {
            Assert.Single(fired);
        }
        else
        {
            Assert.True(fired.Count >= 2, $"fired {fired.Count} times");
        }

        Assert.DoesNotContain(fired, t => t.Step == "agent");
    }

    [Fact]
    public async Task Caller_hang_up_ends_the_flow_as_abandoned_in_the_running_step()
    {
        var flow = Flow(Menu(S(30)), Say("done", "Done"));
        using var channel = new FakeCallChannel().HangUpAt(S(4));

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal(FlowOutcome.Abandoned, result.Outcome);
        Assert.Equal("menu", result.LastStep);
        Assert.Empty(channel.Hangups);
    }

    [Fact]
    public async Task Hang_up_after_the_flow_decided_keeps_its_outcome()
    {
        var flow = Flow(new HangupStep { Name = "bye", Location = Here, Reason = "done-here" });
        using var channel = new FakeCallChannel().HangUpAt(S(0));

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal((FlowOutcome.Completed, "done-here"), (result.Outcome, result.Detail));
        Assert.Equal(["done-here"], channel.Hangups);
    }
}
