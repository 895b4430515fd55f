using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Expressions;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using static StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.RunnerFlows;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime;

public sealed class FlowRunnerGatherTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static GatherStep Menu(string prompt = "Enter your number", string next = "route") => new()
    {
        Name = "menu",
        Location = Here,
        Say = FlowTemplate.Literal(prompt),
        Next = next,
    };

    [Fact]
    public async Task Menu_collects_keys_until_the_finish_key_which_is_not_part_of_the_digits()
    {
        var flow = Flow(
            Menu() with { MaxDigits = 6 },
            Branch("route", "other", ("12", "billing")),
            Say("billing", "Billing"),
            Say("other", "Other"));
        using var channel = new FakeCallChannel().Press(S(3), "12#");

        var (result, _) = await RunAsync(flow, channel);

        Assert.Equal(["Enter your number", "Billing"], channel.Said.Select(s => s.Text));
        Assert.Equal(FlowOutcome.Completed, result.Outcome);
        Assert.Equal("billing", result.LastStep);
        Assert.Equal(["flow-completed"], channel.Hangups);
    }

    [Fact]
    public async Task Collection_stops_at_max_digits()
    {
        var flow = Flow(Menu(next: "echo") with { MaxDigits = 2 }, Say("echo", TestExpression.Template("You pressed ", "digits")));
        using var channel = new FakeCallChannel().Press(S(3), "123");

        await RunAsync(flow, channel);

        Assert.Equal("You pressed 12", channel.Said[^1].Text);
        // The third key would have come at 4 s; collection ended with the second one.
        Assert.Equal(S(3.5), channel.Said[^1].At);
    }

    [Fact]
    public async Task Keys_typed_during_the_prompt_answer_it_but_keys_from_before_the_gather_do_not()
    {
        var flow = Flow(
            Say("welcome", "Welcome", "menu", interruptible: PromptInterruption.None),
            Menu("Press 1 or 2"),
            Branch("route", "other", ("2", "two")),
            Say("two", "Two"),
            Say("other", "Other"));
        // 9 is pressed during the welcome (before the gather began), 2 during the menu prompt (type-ahead).
        using var channel = new FakeCallChannel().Press(S(1), "9").Press(S(3), "2");

        await RunAsync(flow, channel);

        Assert.Equal(["Welcome", "Press 1 or 2", "Two"], channel.Said.Select(s => s.Text));
        Assert.Equal(S(3), channel.Said[2].At);
    }

    [Fact]
    public async Task Nothing_typed_reprompts_retries_times_then_goes_to_no_input()
    {
        var flow = Flow(
            Menu() with { Retries = 2, Timeout = S(1), NoInput = "bye" },
            Say("route", "Route"),
            Say("bye", "Goodbye"));
        using var channel = new FakeCallChannel();

        var (_, trace) = await RunAsync(flow, channel);

        Assert.Equal(["Enter your number", "Enter your number", "Enter your number", "Goodbye"], channel.Said.Select(s => s.Text));
        Assert.Equal([S(0), S(3), S(6), S(9)], channel.Said.Select(s => s.At));
        Assert.Contains(trace, t => t.Kind == "input" && t.Detail == "none: no input (attempt 3 of 3)");
    }

    [Fact]
    public async Task Without_no_input_the_silence_handler_decides_and_without_that_next()
    {
        var gather = Menu() with { Retries = 0, Timeout = S(1) };
        var steps = new FlowStep[] { gather, Say("route", "Route"), Say("still_there", "Still there?") };
        var handlers = new FlowHandlers { OnSilence = new SilenceHandler(S(60), "still_there", Here) };

        using var withHandler = new FakeCallChannel();
        await RunAsync(Flow(handlers, steps), withHandler);
        using var without = new FakeCallChannel();
        await RunAsync(Flow(steps), without);

        Assert.Equal("Still there?", withHandler.Said[^1].Text);
        Assert.Equal("Route", without.Said[^1].Text);
    }

    [Fact]
    public async Task Fewer_keys_than_min_digits_count_as_no_input()
    {
        var flow = Flow(
            Menu() with { MaxDigits = 6, MinDigits = 3, Retries = 0, NoInput = "bye" },
            Say("route", "Route"),
            Say("bye", "Goodbye"));
        using var channel = new FakeCallChannel().Press(S(3), "12#");

        await RunAsync(flow, channel);

        Assert.Equal("Goodbye", channel.Said[^1].Text);
    }

    [Fact]
    public async Task Speech_that_starts_before_the_timeout_is_awaited_to_its_end()
    {
        var flow = Flow(
            Menu("How can I help?", "heard") with { Input = GatherInput.Speech, Timeout = S(2), Retries = 0, NoInput = "bye" },
            Say("heard", TestExpression.Template("Input ", "input")),
            Say("bye", "Goodbye"));
        // The prompt ends at 2 s, the timeout would end at 4 s; the caller starts at 3.5 s and talks for 4 s.
        using var channel = new FakeCallChannel().Speak(S(3.5), S(4));

        await RunAsync(flow, channel);

        Assert.Equal("Input speech", channel.Said[^1].Text);
        Assert.Equal(S(7.5), channel.Said[^1].At);
    }

    [Theory]
    [InlineData(1.0, 4.0)]
    [InlineData(null, 33.0)]
    public async Task Speech_timeout_ends_an_answer_whose_end_turn_detection_does_not_report(double? speechTimeout, double answeredAt)
    {
        var flow = Flow(
            Menu("How can I help?", "heard") with
            {
                Input = GatherInput.Speech,
                SpeechTimeout = speechTimeout is { } t ? S(t) : null,
                Retries = 0,
                NoInput = "bye",
            },
            Say("heard", TestExpression.Template("Input ", "input")),
            Say("bye", "Goodbye"));
        using var channel = new FakeCallChannel().StartSpeaking(S(3));

        await RunAsync(flow, channel);

        // With speech_timeout, one quiet second after 3 s; without, the runner's MaxUtterance (30 s) bounds the wait.
        Assert.Equal(("Input speech", S(answeredAt)), (channel.Said[^1].Text, channel.Said[^1].At));
    }

    [Fact]
    public async Task Vocal_counts_start_at_the_last_gather_and_total_counts_the_call()
    {
        var flow = Flow(
            Say("welcome", "Welcome", "menu", interruptible: PromptInterruption.None),
            Menu(next: "report") with { Timeout = S(1), Retries = 0 },
            Say("report", TestExpression.Template("", "sigh", " of ", "total.sigh")));
        using var channel = new FakeCallChannel().Sound(S(1), "sigh").Sound(S(3), "sigh");

        await RunAsync(flow, channel);

        Assert.Equal("1 of 2", channel.Said[^1].Text);
    }
}
