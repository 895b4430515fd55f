using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>Each mistake is reported at its line and column, with the field and what was expected.</summary>
public sealed class FlowLoaderErrorTests
{
    private static FlowError Single(string yaml)
    {
        var result = FlowLoader.LoadText(yaml, "f.yaml");
        Assert.False(result.IsValid);
        Assert.Null(result.Flow);
        return Assert.Single(result.Errors);
    }

    private static void AssertError(FlowError error, int line, int column, string field, string messagePart)
    {
        Assert.Equal(("f.yaml", line, column, field), (error.File, error.Line, error.Column, error.Field));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_yaml_reports_the_parser_mark()
    {
        var error = Single("flow: x\nsteps: [a, b\n");
        Assert.Equal("f.yaml", error.File);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.StartsWith("a list in [brackets] is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_level_errors_print_without_an_empty_field() =>
        Assert.Equal("f.yaml:1:1: the file is empty; expected a mapping with flow, start and steps", Single("").ToString());

    [Fact]
    public void Field_errors_print_as_file_line_column_field_message() =>
        Assert.Equal(
            "f.yaml:6:16: steps.a.gather.timeout: expected a duration such as 500ms, 5s, 2m or 1m30s, got 'soon'",
            Single("flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      timeout: soon\n").ToString());

    [Fact]
    public void Empty_file_is_an_error() => AssertError(Single(""), 1, 1, "", "the file is empty");

    [Fact]
    public void Missing_required_top_level_fields_are_each_reported()
    {
        var result = FlowLoader.LoadText("description: nothing else\n", "f.yaml");
        Assert.Equal(["flow", "start", "steps"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Contains("missing required field", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_top_level_key_suggests_the_near_miss()
    {
        var error = Single("flow: x\nstart: a\nstpes:\n  a: { say: hi }\nsteps:\n  a: { say: hi }\n");
        AssertError(error, 3, 1, "stpes", "unknown field 'stpes' (did you mean 'steps'?)");
    }

    [Fact]
    public void Duplicate_keys_are_reported_not_thrown()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a: { say: hi }\n  a: { say: again }\n");
        AssertError(error, 5, 3, "", "duplicate key 'a'");
    }

    [Fact]
    public void Unknown_verb_is_reported_with_a_hint()
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    sya: hello\n", "f.yaml");
        AssertError(result.Errors[0], 4, 3, "steps.a", "step has no verb");
        AssertError(result.Errors[1], 5, 5, "steps.a.sya", "(did you mean 'say'?)");
    }

    [Fact]
    public void Two_verbs_in_one_step_are_an_error()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    say: hi\n    play: x.wav\n");
        AssertError(error, 6, 5, "steps.a.play", "exactly one verb, got 'say' and 'play'");
    }

    [Fact]
    public void Unknown_field_in_a_verb_suggests_the_near_miss()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      max_digit: 4\n");
        AssertError(error, 6, 7, "steps.a.gather.max_digit", "(did you mean 'max_digits'?)");
    }

    [Fact]
    public void Bad_duration_names_expected_and_found()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      timeout: soon\n");
        AssertError(error, 6, 16, "steps.a.gather.timeout", "expected a duration such as 500ms, 5s, 2m or 1m30s, got 'soon'");
    }

    [Theory]
    [InlineData("retries: 11", 16, "steps.a.gather.retries", "from 0 to 10, got 11")]
    [InlineData("max_digits: 0", 19, "steps.a.gather.max_digits", "from 1 to 64, got 0")]
    [InlineData("max_digits: many", 19, "steps.a.gather.max_digits", "got 'many'")]
    [InlineData("barge_in: maybe", 17, "steps.a.gather.barge_in", "expected true or false, got 'maybe'")]
    [InlineData("finish_on_key: x", 22, "steps.a.gather.finish_on_key", "expected one key of 0-9, *, #, A-D")]
    [InlineData("input: [dtmf, fax]", 21, "steps.a.gather.input", "expected dtmf or speech, got 'fax'")]
    [InlineData("retries: \"2\"", 16, "steps.a.gather.retries", "got '2'")]
    public void Wrong_types_and_ranges_in_gather(string line, int column, string field, string message)
    {
        var error = Single($"flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      {line}\n");
        AssertError(error, 6, column, field, message);
    }

    [Fact]
    public void Min_digits_above_max_digits_is_an_error()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      max_digits: 2\n      min_digits: 3\n");
        AssertError(error, 7, 19, "steps.a.gather.min_digits", "min_digits (3) must not be more than max_digits (2)");
    }

    [Fact]
    public void Gather_with_say_and_play_is_an_error()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    gather:\n      say: hi\n      play: x.wav\n");
        AssertError(error, 7, 13, "steps.a.gather.play", "say or play, not both");
    }

    [Fact]
    public void Frustration_threshold_outside_0_to_1_is_an_error()
    {
        var error = Single("flow: x\nstart: a\nhandlers:\n  on_frustration: { above: 1.5, goto: a }\nsteps:\n  a: { say: hi }\n");
        AssertError(error, 4, 28, "handlers.on_frustration.above", "expected a number from 0 to 1, got 1.5");
    }

    [Fact]
    public void Reference_to_a_missing_step_names_it_and_the_close_name()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    say: hi\n    next: menux\n  menu:\n    say: m\n");
        // "menu" is then unreachable too, but a broken reference already explains that, so only one error.
        AssertError(error, 6, 11, "steps.a.next", "no step named 'menux' (did you mean 'menu'?)");
    }

    [Fact]
    public void Reference_without_a_close_name_lists_the_steps()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: digits == \"1\"\n        goto: elsewhere\n");
        AssertError(error, 7, 15, "steps.a.branch[0].goto", "no step named 'elsewhere'; steps are: a");
    }

    [Fact]
    public void Handler_goto_to_a_missing_step_is_an_error()
    {
        var error = Single("flow: x\nstart: a\nhandlers:\n  on_error: { goto: sory }\nsteps:\n  a: { say: hi, next: sorry }\n  sorry: { say: s }\n");
        AssertError(error, 4, 21, "handlers.on_error.goto", "(did you mean 'sorry'?)");
    }

    [Fact]
    public void Unreachable_step_is_reported_at_its_name()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    say: hi\n  orphan:\n    say: never\n");
        AssertError(error, 6, 3, "steps.orphan", "step 'orphan' is never reached from start 'a'");
    }

    [Fact]
    public void Steps_reached_only_through_handlers_and_failure_paths_are_reachable()
    {
        var result = FlowLoader.LoadText("""
            flow: x
            start: a
            handlers:
              on_error: { goto: sorry }
            steps:
              a:
                webhook: { url: "https://example.com/x", on_failure: failed }
              failed: { say: f }
              sorry: { say: s }
            """, "f.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("bad name!", "a step name made of letters, digits")]
    [InlineData("x.y", "a step name made of letters, digits")]
    public void Bad_step_names_are_errors(string name, string message)
    {
        var result = FlowLoader.LoadText($"flow: x\nstart: a\nsteps:\n  a: {{ say: hi }}\n  \"{name}\": {{ say: hi }}\n", "f.yaml");
        AssertError(result.Errors[0], 5, 3, "steps", message);
    }

    [Theory]
    [InlineData("url: ftp://example.com/x", 21, "expected an absolute http:// or https:// URL, got 'ftp://example.com/x'")]
    [InlineData("url: /relative/path", 21, "expected an absolute http:// or https:// URL")]
    public void Webhook_url_must_be_absolute_http(string line, int column, string message)
    {
        var error = Single($"flow: x\nstart: a\nsteps:\n  a:\n    webhook: {{ {line} }}\n");
        AssertError(error, 5, column, "steps.a.webhook.url", message);
    }

    [Fact]
    public void Templated_webhook_url_is_not_checked_as_a_literal()
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    webhook: { url: \"{{ vars.base }}/x\" }\n", "f.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Transfer_target_must_be_a_sip_or_tel_uri()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    transfer: { to: agent@pbx }\n");
        AssertError(error, 5, 21, "steps.a.transfer.to", "expected a sip:, sips: or tel: URI");
    }

    [Fact]
    public void Expression_syntax_error_points_inside_a_plain_scalar()
    {
        // "digits === 1": the tokenizer reads "==", then the stray '=' is at offset 9 of the condition.
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: digits === 1\n        goto: a\n");
        AssertError(error, 6, 13 + 9, "steps.a.branch[0].if", "condition does not parse");
    }

    [Fact]
    public void Expression_error_in_a_double_quoted_scalar_skips_the_quote()
    {
        // The scalar starts at column 13 with its quote; "digits == (1" fails at the end (offset 12).
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: \"digits == (1\"\n        goto: a\n");
        AssertError(error, 6, 13 + 1 + 12, "steps.a.branch[0].if", "expected ')' but the expression ended");
    }

    [Fact]
    public void Unknown_name_in_a_template_points_at_the_name()
    {
        // say: "Hi {{ vars.name }} {{ callr }}": scalar at column 10, quote + "Hi {{ vars.name }} {{ " = 1 + 22.
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    say: \"Hi {{ vars.name }} {{ callr }}\"\n");
        AssertError(error, 5, 10 + 1 + 22, "steps.a.say", "unknown name 'callr' (did you mean 'caller'?)");
    }

    [Theory]
    [InlineData("total.sneeze > 1", "expected total.<event>")]
    [InlineData("opn(\"daily 09:00-17:00\")", "unknown function 'opn' (did you mean 'open'?)")]
    [InlineData("len(digits, 2) > 1", "len() takes 1 argument(s), got 2")]
    [InlineData("open(\"someday 09:00-17:00\")", "expected days such as 'mon'")]
    [InlineData("open(\"daily 09:00-17:00\", \"Mars/Olympus\")", "expected a time zone")]
    [InlineData("digits.first == 1", "'digits' has no fields")]
    public void Bad_names_and_functions_in_conditions(string condition, string message)
    {
        var error = Single($"flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - if: '{condition}'\n        goto: a\n");
        Assert.Equal((6, "steps.a.branch[0].if"), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Else_before_the_last_case_is_an_error()
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    branch:\n      - else: a\n      - if: true\n        goto: a\n");
        AssertError(error, 6, 9, "steps.a.branch[0]", "else must be the last case");
    }

    [Fact]
    public void All_errors_are_collected_in_file_order()
    {
        var result = FlowLoader.LoadText("""
            flow: x
            start: a
            steps:
              a:
                gather: { timeout: soon, retries: 99 }
                next: nowhere
              b:
                say: { txt: hi }
            """, "f.yaml");

        // The missing 'text' is reported at the mapping's '{' (column 12), before the unknown 'txt' (column 14);
        // 'b', which nothing goes to, is reported in the same run.
        Assert.Equal(
            ["steps.a.gather.timeout", "steps.a.gather.retries", "steps.a.next", "steps.b", "steps.b.say.text", "steps.b.say.txt"],
            result.Errors.Select(e => e.Field));
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
    }
}
