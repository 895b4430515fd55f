using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>Mistakes an analyst makes in a first flow get a position and a message that says what to change.</summary>
public sealed class FlowLoaderHintTests
{
    private static IReadOnlyList<FlowError> Errors(string yaml)
    {
        var result = FlowLoader.LoadText(yaml, "f.yaml");
        Assert.False(result.IsValid);
        return result.Errors;
    }

    [Fact]
    public void A_tab_in_the_indentation_is_reported_at_the_tab()
    {
        var error = Assert.Single(Errors("flow: x\nstart: a\nsteps:\n  a:\n  \tsay: hi\n"));

        Assert.Equal((5, 3), (error.Line, error.Column));
        Assert.Contains("tab", error.Message, StringComparison.Ordinal);
        Assert.Contains("spaces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_inside_a_value_is_not_indentation()
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    say: \"one\ttwo\"\n", "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("flow: x\nstart: a\nsteps:\n  a:\n    say: hi\n   next: b\n", 6, "not indented like the lines above")]
    [InlineData("flow: x\nstart: a\nsteps:\n  a:\n    say: Note: we are closed\n", 5, "put the value in quotes")]
    [InlineData("flow: x\nstart: a\nsteps:\n  a:\n    say: \"hello\n", 5, "never closed")]
    [InlineData("flow: x\nstart: a\nsteps:\n  a:\n    say: @home\n", 5, "cannot start with this character")]
    [InlineData("flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: x\n        goto: b\n     - else: c\n", 8, "not indented like the lines above")]
    [InlineData("flow: x\nstart: a\nvariables:\n  - a\n  b: c\n", 5, "every '- ' item of a list starts in the same column")]
    public void Parser_wording_is_translated_into_what_to_fix(string yaml, int line, string hint)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal(line, error.Line);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Contains("(YAML parser:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digits == \"1\" && input == \"dtmf\"", "use 'and'")]
    [InlineData("digits == \"1\" || digits == \"2\"", "use 'or'")]
    [InlineData("!(digits == \"1\")", "use 'not'")]
    public void C_style_operators_are_answered_with_the_words_to_use(string condition, string hint)
    {
        var yaml = $"flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: '{condition}'\n        goto: a\n";

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("steps.a.branch[0].if", error.Field);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_steps_are_reported_with_the_other_errors_of_the_same_run()
    {
        var errors = Errors("flow: x\nstart: a\nsteps:\n  a:\n    gather: { timeout: soon }\n    next: b\n  b:\n    say: bye\n  orphan:\n    say: never\n");

        Assert.Equal(["steps.a.gather.timeout", "steps.orphan"], errors.Select(e => e.Field));
        Assert.Contains("never reached", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_reached_only_through_a_broken_step_is_not_called_unreachable()
    {
        // 'a' does not load (bad retries), but it names 'b': that reference still counts.
        var errors = Errors("flow: x\nstart: a\nsteps:\n  a:\n    gather: { retries: 99, no_input: b }\n    next: c\n  b:\n    say: b\n  c:\n    say: c\n");

        Assert.Equal(["steps.a.gather.retries"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_misspelt_goto_is_reported_once_not_also_as_an_unreachable_step()
    {
        var errors = Errors("flow: x\nstart: a\nsteps:\n  a:\n    say: hi\n    next: goodbey\n  goodbye:\n    say: bye\n");

        var error = Assert.Single(errors);
        Assert.Contains("did you mean 'goodbye'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    pause: 2s\n", 2.0)]
    [InlineData("    pause: 750ms\n", 0.75)]
    public void Pause_reads_a_duration(string step, double seconds)
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n" + step, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var pause = Assert.IsType<CallFlow.Flows.Definition.PauseStep>(result.Flow!.Steps["a"]);
        Assert.Equal(TimeSpan.FromSeconds(seconds), pause.Length);
    }

    [Theory]
    [InlineData("    pause: 0s\n", "longer than 0")]
    [InlineData("    pause: 11m\n", "at most 10m")]
    [InlineData("    pause: soon\n", "expected a duration")]
    public void Pause_rejects_what_it_cannot_wait(string step, string message)
    {
        var error = Assert.Single(Errors("flow: x\nstart: a\nsteps:\n  a:\n" + step));

        Assert.Equal("steps.a.pause", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_reads_its_webhook()
    {
        var result = FlowLoader.LoadText(
            "flow: x\nstart: a\nsteps:\n  a:\n    record:\n      webhook: { url: \"https://crm.example.com/vm?c={{ caller }}\", mode: link, keep: true, headers: { X-Key: k } }\n",
            "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var webhook = Assert.IsType<CallFlow.Flows.Definition.RecordStep>(result.Flow!.Steps["a"]).Webhook!;
        Assert.Equal((CallFlow.Flows.Definition.RecordingDelivery.Link, true, "k"), (webhook.Mode, webhook.Keep, webhook.Headers["X-Key"].Source));
    }

    [Theory]
    [InlineData("      webhook: { url: \"ftp://x\" }\n", "steps.a.record.webhook.url", "http:// or https://")]
    [InlineData("      webhook: { url: \"https://x\", mode: stream }\n", "steps.a.record.webhook.mode", "expected upload")]
    [InlineData("      webhook: { mode: link }\n", "steps.a.record.webhook.url", "missing required field 'url'")]
    public void Record_webhook_mistakes_are_reported(string webhook, string field, string message)
    {
        var error = Assert.Single(Errors("flow: x\nstart: a\nsteps:\n  a:\n    record:\n" + webhook));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
