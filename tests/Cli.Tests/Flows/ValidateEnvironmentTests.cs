namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary><c>validate</c> checks what a flow meets at run time: prompt files next to the flows, URLs, voices.</summary>
public sealed class ValidateEnvironmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-validate-env-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Prompts_next_to_the_flows_are_found_without_settings()
    {
        Write("prompts/welcome.wav", "RIFF");
        Write("line.yaml", "flow: line\nstart: a\nsteps:\n  a:\n    play: welcome.wav\n");

        var (exit, output, error) = FlowCli.Run("validate", _dir);

        Assert.True(exit == 0, error + output);
    }

    [Fact]
    public void A_missing_prompt_a_bad_url_and_an_unknown_voice_fail_validation_with_their_lines()
    {
        Write("prompts/welcome.wav", "RIFF");
        var flow = Write("line.yaml", """
            flow: line
            voice: en-us
            start: a
            steps:
              a:
                play: welcom.wav
                next: b
              b:
                play: "ftp://cdn.example.com/hold.wav"
                next: c
              c:
                say: { text: hi, voice: martian }
                next: d
              d:
                play: "https://cdn.example.com/hold.wav"
            """);

        var (exit, output, _) = FlowCli.Run("validate", flow);

        Assert.Equal(1, exit);
        Assert.Contains($"{flow}:5:3: steps.a.play: prompt file 'welcom.wav' does not exist", output, StringComparison.Ordinal);
        Assert.Contains($"{flow}:8:3: steps.b.play: 'ftp://cdn.example.com/hold.wav': only http:// and https://", output, StringComparison.Ordinal);
        Assert.Contains($"{flow}:11:3: steps.c.say.voice: espeak-ng has no voice 'martian'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("steps.d", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_that_plays_files_without_a_prompt_directory_is_invalid_and_prompts_points_elsewhere()
    {
        Write("line.yaml", "flow: line\nstart: a\nsteps:\n  a:\n    gather: { play: menu.wav }\n");
        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "..", Path.GetFileName(_dir) + "-prompts")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "menu.wav"), "RIFF");
        try
        {
            var (exit, output, _) = FlowCli.Run("validate", _dir);
            var (exitElsewhere, outputElsewhere, errorElsewhere) = FlowCli.Run("validate", _dir, "--prompts", elsewhere);

            Assert.Equal(1, exit);
            Assert.Contains("steps.a.gather.play: prompt directory", output, StringComparison.Ordinal);
            Assert.True(exitElsewhere == 0, errorElsewhere + outputElsewhere);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public void The_release_executable_validates_and_simulates_from_any_folder()
    {
        // The stepaudio build next to the tests, run with a working directory outside the repository: it finds
        // config/flows and models/ from its own location.
        var exe = Path.Combine(AppContext.BaseDirectory, "stepaudio.dll");
        _ = FlowCli.VadModel;

        var validate = Run(exe, "validate");
        var simulate = Run(exe, "simulate", "voicemail", "--dtmf", "2@5s", "--no-network");

        Assert.True(validate.Exit == 0, validate.Output);
        Assert.Contains("5 flows valid", validate.Output, StringComparison.Ordinal);
        Assert.True(simulate.Exit == 0, simulate.Output);
        Assert.Contains("outcome: completed at step goodbye", simulate.Output, StringComparison.Ordinal);
    }

    private (int Exit, string Output) Run(string exe, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(exe);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("STEPAUDIO_VAD_MODEL");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "stepaudio did not finish");
        return (process.ExitCode, output.Result + error.Result);
    }
}
