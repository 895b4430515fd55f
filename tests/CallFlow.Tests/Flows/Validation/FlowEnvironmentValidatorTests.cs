using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Flows.Routing;
using StepAudio.Telephony.CallFlow.Flows.Validation;
using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Validation;

/// <summary>What passes validation does not fail at run time for a missing prompt, a wrong URL or an unknown voice.</summary>
public sealed class FlowEnvironmentValidatorTests : IDisposable
{
    private static readonly IVoiceCatalog Voices = new EspeakVoiceCatalog(
        " 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n 5  de  --/M  German  gmw/de\n", string.Empty);

    private readonly string _root = Directory.CreateTempSubdirectory("stepaudio-env-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Prompts => Directory.CreateDirectory(File("prompts")).FullName;

    private string File(string name) => Path.Combine(_root, name);

    private FlowDefinition Load(string steps, string top = "")
    {
        var path = File("f.yaml");
        System.IO.File.WriteAllText(path, $"flow: x\n{top}start: a\nsteps:\n{steps}");
        var loaded = FlowLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Flow!;
    }

    [Fact]
    public void Prompt_files_that_exist_and_http_urls_pass()
    {
        System.IO.File.WriteAllBytes(Path.Combine(Prompts, "welcome.wav"), [1]);
        var flow = Load("  a:\n    play: welcome.wav\n    next: b\n  b:\n    play: https://cdn.example.com/hold.wav\n    next: c\n  c:\n    gather: { play: welcome.wav }\n");

        Assert.Empty(FlowEnvironmentValidator.Check(flow, new FlowEnvironment(Prompts, Voices)));
    }

    [Fact]
    public void A_missing_prompt_file_is_reported_at_its_step_with_the_near_miss()
    {
        System.IO.File.WriteAllBytes(Path.Combine(Prompts, "welcome.wav"), [1]);
        var flow = Load("  a:\n    say: hi\n    next: b\n  b:\n    play: welcom.wav\n");

        var error = Assert.Single(FlowEnvironmentValidator.Check(flow, new FlowEnvironment(Prompts, Voices)));

        Assert.Equal((7, "steps.b.play"), (error.Line, error.Field));
        Assert.Contains("prompt file 'welcom.wav' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'welcome.wav'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://files.example.com/a.wav", "only http:// and https://")]
    [InlineData("https:///nohost.wav", "not a valid URL")]
    public void Urls_other_than_http_and_https_are_rejected(string url, string message)
    {
        var flow = Load($"  a:\n    play: \"{url}\"\n");

        Assert.Contains(message, Assert.Single(FlowEnvironmentValidator.Check(flow, new FlowEnvironment(Prompts, Voices))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_unset_prompt_directory_is_reported_only_for_flows_that_play_files()
    {
        var plays = Load("  a:\n    gather: { play: menu.wav }\n");
        var speaks = Load("  a:\n    say: hi\n");

        Assert.Contains("does not exist", Assert.Single(FlowEnvironmentValidator.Check(plays, new FlowEnvironment(File("nowhere"), Voices))).Message, StringComparison.Ordinal);
        Assert.Contains("no prompt directory is configured", Assert.Single(FlowEnvironmentValidator.Check(plays, new FlowEnvironment(null, Voices))).Message, StringComparison.Ordinal);
        Assert.Equal("steps.a.gather.play", FlowEnvironmentValidator.Check(plays, new FlowEnvironment(null, Voices))[0].Field);
        Assert.Empty(FlowEnvironmentValidator.Check(speaks, new FlowEnvironment(null, Voices)));
    }

    [Fact]
    public void A_prompt_outside_the_directory_is_rejected()
    {
        var flow = Load("  a:\n    play: ../f.yaml\n");

        Assert.Contains("outside the prompt directory", Assert.Single(FlowEnvironmentValidator.Check(flow, new FlowEnvironment(Prompts, Voices))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_voices_are_reported_for_the_flow_and_each_step()
    {
        var flow = Load("  a:\n    say: { text: hi, voice: fr }\n    next: b\n  b:\n    gather: { say: hi, voice: en }\n", "voice: en-uk\n");

        var errors = FlowEnvironmentValidator.Check(flow, new FlowEnvironment(Prompts, Voices));

        Assert.Equal([("voice", 2), ("steps.a.say.voice", 5)], errors.Select(e => (e.Field, e.Line)));
        Assert.Contains("no voice 'en-uk'", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_directory_is_checked_with_its_environment()
    {
        System.IO.File.WriteAllText(File("f.yaml"), "flow: x\nstart: a\nsteps:\n  a:\n    play: missing.wav\n");

        var plain = FlowSetLoader.LoadDirectory(_root);
        var checkedResult = FlowSetLoader.LoadDirectory(_root, new FlowEnvironment(Prompts, Voices));

        Assert.NotNull(plain.Set);
        Assert.Null(checkedResult.Set);
        Assert.Contains("missing.wav", Assert.Single(checkedResult.Errors).Message, StringComparison.Ordinal);
    }
}
