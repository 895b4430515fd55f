using System.Text.RegularExpressions;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>The gateway refuses to start while a flow is invalid, and says where the mistake is.</summary>
public sealed partial class FlowStartupTests : IDisposable
{
    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;

    public void Dispose() => Directory.Delete(_flows, recursive: true);

    [Fact]
    public async Task Invalid_flow_stops_the_gateway_with_exit_code_1_and_file_line_column()
    {
        // Line 6 sends the caller to a step that does not exist.
        await File.WriteAllTextAsync(Path.Combine(_flows, "broken.yaml"), """
            flow: broken
            start: hello
            steps:
              hello:
                say: "Hello."
                next: nowhere
            """);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: broken\n");

        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(
            new Dictionary<string, string> { ["CallFlow__Enabled"] = "true", ["CallFlow__Directory"] = _flows },
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        Assert.Contains("Gateway cannot start: ", output, StringComparison.Ordinal);
        Assert.Matches(BrokenAtLine6(), output);
        Assert.Contains("nowhere", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SIP listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_prompt_file_or_an_unknown_voice_stops_the_gateway_like_validate_does()
    {
        // The prompt directory is the prompts folder next to the flows; welcome.wav is there, menu.wav is not.
        Directory.CreateDirectory(Path.Combine(_flows, "prompts"));
        await File.WriteAllBytesAsync(Path.Combine(_flows, "prompts", "welcome.wav"), [1]);
        await File.WriteAllTextAsync(Path.Combine(_flows, "line.yaml"), """
            flow: line
            start: hello
            steps:
              hello:
                play: welcome.wav
                next: menu
              menu:
                gather: { play: menu.wav }
                next: bye
              bye:
                say: { text: "Bye.", voice: martian }
            """);

        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(
            new Dictionary<string, string> { ["CallFlow__Enabled"] = "true", ["CallFlow__Directory"] = _flows },
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        Assert.Contains("line.yaml:7:3: steps.menu.gather.play: prompt file 'menu.wav' does not exist", output, StringComparison.Ordinal);
        Assert.Contains("line.yaml:10:3: steps.bye.say.voice: espeak-ng has no voice 'martian'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("welcome.wav", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"broken\.yaml:6:\d+: ")]
    private static partial Regex BrokenAtLine6();
}
