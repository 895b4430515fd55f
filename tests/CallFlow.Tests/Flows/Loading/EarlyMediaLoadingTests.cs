using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Validation;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Loading;

/// <summary>The flow-level <c>early_media</c> announcement: played in a 183 before the call is answered.</summary>
public sealed class EarlyMediaLoadingTests
{
    private const string Steps = "start: a\nsteps:\n  a:\n    say: hi\n";

    [Fact]
    public void Without_early_media_the_call_is_answered_at_once()
    {
        var result = FlowLoader.LoadText("flow: x\n" + Steps, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Null(result.Flow!.EarlyMedia);
    }

    [Fact]
    public void Say_with_a_voice_is_read_with_its_position()
    {
        var result = FlowLoader.LoadText("flow: x\nearly_media:\n  say: Calls are recorded.\n  voice: en-gb\n" + Steps, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var early = result.Flow!.EarlyMedia!;
        Assert.Equal(("Calls are recorded.", "en-gb", (string?)null, 3), (early.Text, early.Voice, early.File, early.Location.Line));
    }

    [Fact]
    public void Play_names_a_file()
    {
        var result = FlowLoader.LoadText("flow: x\nearly_media: { play: busy.wav }\n" + Steps, "f.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(("busy.wav", (string?)null), (result.Flow!.EarlyMedia!.File, result.Flow.EarlyMedia.Text));
    }

    [Theory]
    [InlineData("early_media: true\n", "early_media", "expected a mapping")]
    [InlineData("early_media: {}\n", "early_media", "exactly one of 'say' and 'play'")]
    [InlineData("early_media: { say: hi, play: a.wav }\n", "early_media", "exactly one of 'say' and 'play'")]
    [InlineData("early_media: { play: a.wav, voice: en-us }\n", "early_media.voice", "belongs with 'say'")]
    [InlineData("early_media: { say: \"Hello {{ caller }}\" }\n", "early_media.say", "cannot use {{ expressions }}")]
    [InlineData("early_media: { say: \"  \" }\n", "early_media.say", "empty text")]
    [InlineData("early_media: { say: hi, loop: 2 }\n", "early_media.loop", "")]
    public void Mistakes_are_reported_at_their_line(string line, string field, string message)
    {
        var result = FlowLoader.LoadText("flow: x\n" + line + Steps, "f.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("f.yaml", 2, field), (error.File, error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_early_media_file_fails_environment_validation()
    {
        var prompts = Directory.CreateTempSubdirectory("early-media-");
        try
        {
            File.WriteAllBytes(Path.Combine(prompts.FullName, "busy.wav"), [0]);
            var good = FlowLoader.LoadText("flow: x\nearly_media: { play: busy.wav }\n" + Steps, "f.yaml").Flow!;
            var bad = FlowLoader.LoadText("flow: x\nearly_media: { play: bussy.wav }\n" + Steps, "f.yaml").Flow!;
            var environment = new FlowEnvironment(prompts.FullName, null);

            Assert.Empty(FlowEnvironmentValidator.Check(good, environment));
            var error = Assert.Single(FlowEnvironmentValidator.Check(bad, environment));
            Assert.Equal("early_media.play", error.Field);
            Assert.Contains("busy.wav", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            prompts.Delete(recursive: true);
        }
    }
}
