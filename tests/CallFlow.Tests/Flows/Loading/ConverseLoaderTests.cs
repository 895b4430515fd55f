using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Validation;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>The <c>converse</c> verb as written in YAML.</summary>
public sealed class ConverseLoaderTests
{
    private const string Valid = """
        flow: assistant
        start: talk
        steps:
          talk:
            converse:
              instructions: You are the billing assistant of {{ vars.company }}.
              goal: Find out why the caller calls.
              greeting: Hello, how can I help?
              actions: [goto_step, transfer, set_variable, hangup]
              steps: [billing]
              transfer_to: sip:agent@pbx.example
              transfer_mode: bridge
              max_turns: 8
              max_duration: 3m
              fallback: sorry
            next: sorry
          billing:
            say: Billing.
          sorry:
            say: Sorry, please call again.
        """;

    private static FlowError Single(string yaml)
    {
        var result = FlowLoader.LoadText(yaml, "f.yaml");
        Assert.Null(result.Flow);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var result = FlowLoader.LoadText(Valid, "f.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var step = Assert.IsType<ConverseStep>(result.Flow!.Steps["talk"]);

        Assert.Equal(["goto_step", "transfer", "set_variable", "hangup"], step.Actions);
        Assert.Equal(["billing"], step.Steps);
        Assert.Equal("sip:agent@pbx.example", step.TransferTo!.Source);
        Assert.Equal(TransferMode.Bridge, step.TransferMode);
        Assert.Equal(8, step.MaxTurns);
        Assert.Equal(TimeSpan.FromMinutes(3), step.MaxDuration);
        Assert.Equal("sorry", step.Fallback);
        Assert.Equal("sorry", step.Next);
        Assert.Equal("Hello, how can I help?", step.Greeting!.Source);
        Assert.Equal("converse", step.Verb);
    }

    [Fact]
    public void Defaults_allow_only_hangup()
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    converse:\n      instructions: Be kind.\n", "f.yaml");
        var step = Assert.IsType<ConverseStep>(result.Flow!.Steps["a"]);
        Assert.Equal(["hangup"], step.Actions);
        Assert.Equal(20, step.MaxTurns);
        Assert.Null(step.Fallback);
    }

    [Theory]
    [InlineData("      goal: x\n", "steps.a.converse.instructions", "missing required field 'instructions'")]
    [InlineData("      instructions: x\n      actions: [hang_up]\n", "steps.a.converse.actions[0]", "unknown action 'hang_up' (did you mean 'hangup'?)")]
    [InlineData("      instructions: x\n      actions: [goto_step]\n", "steps.a.converse.steps", "goto_step is allowed, so list the steps")]
    [InlineData("      instructions: x\n      actions: [transfer]\n", "steps.a.converse.transfer_to", "transfer is allowed, so say where to")]
    [InlineData("      instructions: x\n      max_turns: 0\n", "steps.a.converse.max_turns", "")]
    [InlineData("      instructions: x\n      temperature: 0.2\n", "steps.a.converse.temperature", "unknown field 'temperature'")]
    [InlineData("      instructions: x\n      fallback: nowhere\n", "steps.a.converse.fallback", "nowhere")]
    [InlineData("      instructions: x\n      actions: [goto_step]\n      steps: [missing]\n", "steps.a.converse.steps[0]", "missing")]
    public void Mistakes_name_the_field(string body, string field, string message)
    {
        var error = Single("flow: x\nstart: a\nsteps:\n  a:\n    converse:\n" + body);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_endpoint_each_converse_step_is_an_error_that_names_the_setting()
    {
        var flow = FlowLoader.LoadText(Valid, "f.yaml").Flow!;

        var errors = ConverseAvailability.Check([flow], endpointConfigured: false);

        var error = Assert.Single(errors);
        Assert.Equal(("f.yaml", 4, 3, "steps.talk.converse"), (error.File, error.Line, error.Column, error.Field));
        Assert.Contains("Conversation:Endpoints:0:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Empty(ConverseAvailability.Check([flow], endpointConfigured: true));
    }
}
