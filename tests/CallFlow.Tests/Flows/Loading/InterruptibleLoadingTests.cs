using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary><c>interruptible</c> on say, play and gather; the older <c>barge_in</c> still reads.</summary>
public sealed class InterruptibleLoadingTests
{
    private static FlowStep Step(string step)
    {
        var result = FlowLoader.LoadText($"flow: x\nstart: a\nsteps:\n  a:\n{step}", "f.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Flow!.Steps["a"];
    }

    [Theory]
    [InlineData("    say: Hello\n", PromptInterruption.Speech)]
    [InlineData("    say: { text: Hello, interruptible: keys }\n", PromptInterruption.Keys)]
    [InlineData("    say: { text: Hello, interruptible: none }\n", PromptInterruption.None)]
    [InlineData("    say: { text: Hello, barge_in: true }\n", PromptInterruption.Any)]
    [InlineData("    play: { file: a.wav, interruptible: any }\n", PromptInterruption.Any)]
    [InlineData("    play: a.wav\n", PromptInterruption.Speech)]
    [InlineData("    play: { file: a.wav, barge_in: false }\n", PromptInterruption.None)]
    [InlineData("    gather: { say: Menu }\n", PromptInterruption.Any)]
    [InlineData("    gather: { say: Menu, interruptible: speech }\n", PromptInterruption.Speech)]
    public void Reads_what_stops_the_prompt_with_sensible_defaults(string step, PromptInterruption expected)
    {
        var interruptible = Step(step) switch
        {
            SayStep say => say.Interruptible,
            PlayStep play => play.Interruptible,
            GatherStep gather => gather.Interruptible,
            var other => throw new InvalidOperationException(other.Verb),
        };

        Assert.Equal(expected, interruptible);
    }

    [Theory]
    [InlineData("    say: { text: Hello, interruptible: sometimes }\n", "expected keys, speech, any or none, got 'sometimes'")]
    [InlineData("    gather: { say: Menu, interruptible: keys, barge_in: true }\n", "either interruptible or the older barge_in")]
    public void Mistakes_are_reported_with_the_field(string step, string message)
    {
        var result = FlowLoader.LoadText($"flow: x\nstart: a\nsteps:\n  a:\n{step}", "f.yaml");

        var error = Assert.Single(result.Errors);
        Assert.EndsWith(".interruptible", error.Field, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
