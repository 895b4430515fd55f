using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

/// <summary>What stops a prompt (<c>interruptible</c>), and what a gather says when no usable answer came.</summary>
public sealed class FlowRunnerPromptTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static SayStep Announcement(PromptInterruption? interruptible = null)
    {
        var say = new SayStep { Name = "welcome", Location = Here, Text = FlowTemplate.Literal("Welcome"), Next = "after", Loop = 2 };
        return interruptible is { } value ? say with { Interruptible = value } : say;
    }

    [Fact]
    public async Task By_default_a_key_does_not_cut_a_plain_say_short_but_speech_does()
    {
        using var keys = new FakeCallChannel().Press(S(1), "5");
        var (_, keyTrace) = await RunAsync(Flow(Announcement(), Say("after", "After")), keys);
        using var speech = new FakeCallChannel().Speak(S(1), S(0.5));
        var (_, speechTrace) = await RunAsync(Flow(Announcement(), Say("after", "After")), speech);

        Assert.Equal(["Welcome", "Welcome", "After"], keys.Said.Select(s => s.Text)); // both loops played in full
        Assert.DoesNotContain(keyTrace, t => t.Kind == "interrupt");
        Assert.Equal(["Welcome", "After"], speech.Said.Select(s => s.Text)); // the loop stops with the prompt
        Assert.Contains(speechTrace, t => t.Kind == "interrupt" && t.Step == "welcome" && t.Detail == "the caller spoke over the prompt");
    }

    [Fact]
    public async Task Interruptible_keys_lets_a_key_stop_the_prompt_and_says_so_in_the_trace()
    {
        using var channel = new FakeCallChannel().Press(S(1), "5").Speak(S(5), S(0.5));

        var (_, trace) = await RunAsync(Flow(Announcement(PromptInterruption.Keys), Say("after", "After", interruptible: PromptInterruption.Keys)), channel);

        Assert.Equal(["Welcome", "After"], channel.Said.Select(s => s.Text));
        Assert.Equal(S(1), channel.Said[1].At);
        var interrupt = Assert.Single(trace, t => t.Kind == "interrupt");
        Assert.Equal(("welcome", "a key press stopped the prompt"), (interrupt.Step, interrupt.Detail));
    }

    [Fact]
    public async Task Interruptible_none_plays_to_the_end_whatever_the_caller_does()
    {
        using var channel = new FakeCallChannel().Press(S(0.5), "1").Speak(S(1), S(0.5));

        var (_, trace) = await RunAsync(Flow(Announcement(PromptInterruption.None), Say("after", "After")), channel);

        Assert.Equal([S(0), S(2), S(4)], channel.Said.Select(s => s.At));
        Assert.DoesNotContain(trace, t => t.Kind == "interrupt");
    }

    [Fact]
    public async Task Too_few_digits_before_the_finish_key_are_traced_as_such_not_as_no_input()
    {
        var menu = new GatherStep { Name = "menu", Location = Here, Say = FlowTemplate.Literal("Your PIN"), MinDigits = 6, MaxDigits = 6, Retries = 0, Next = "after" };
        using var channel = new FakeCallChannel().Press(S(3), "999#");

        var (_, trace) = await RunAsync(Flow(menu, Say("after", "After")), channel);

        Assert.Contains(trace, t => t.Kind == "input" && t.Detail == "none: too few digits ('999' then #, at least 6 required) (attempt 1 of 1)");
    }

    [Fact]
    public async Task A_breath_that_never_became_a_turn_leaves_the_gather_waiting_its_timeout_not_the_longest_utterance()
    {
        var menu = new GatherStep
        {
            Name = "menu", Location = Here, Say = FlowTemplate.Literal("Tell me"), Input = GatherInput.Speech, Timeout = S(5), Retries = 0, Next = "after",
        };
        using var channel = new FakeCallChannel().Breathe(S(3), S(0.2));

        var (_, trace) = await RunAsync(Flow(menu, Say("after", "After")), channel);

        var input = Assert.Single(trace, t => t.Kind == "input");
        Assert.Equal("none: no input (1 sound(s) too short to be speech) (attempt 1 of 1)", input.Detail);
        Assert.Equal(S(7), input.At); // the 2 s prompt, then the 5 s timeout: not MaxUtterance (30 s)
    }
}
