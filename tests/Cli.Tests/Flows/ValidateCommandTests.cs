using System.Text.Json;

namespace StepAudio.Telephony.Cli.Tests.Flows;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_example_flows_are_valid()
    {
        var (exit, output, error) = FlowCli.Run("validate", FlowCli.ExampleFlows);

        Assert.True(exit == 0, error + output);
        Assert.Matches(@"^5 flows valid: after-hours@\w+ escalation@\w+ pharmacy@\w+ support@\w+ voicemail@\w+ ; routes: 4\r?\n$", output);
    }

    [Fact]
    public void Every_mistake_is_printed_with_file_line_and_column_and_exits_1()
    {
        // Line numbers below are the lines of this text (1-based); columns those of the offending value.
        Write("broken.yaml", """
            flow: broken
            start: menu
            steps:
              menu:
                gather:
                  timeout: soon
                next: nowhere
            """);

        var (exit, output, _) = FlowCli.Run("validate", _dir);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith($"{Path.Combine(_dir, "broken.yaml")}:6:16: steps.menu.gather.timeout: ", StringComparison.Ordinal)
            || l.StartsWith("broken.yaml:6:16: steps.menu.gather.timeout: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("broken.yaml:7:11: steps.menu.next: ", StringComparison.Ordinal) && l.Contains("nowhere", StringComparison.Ordinal));
        Assert.Matches(@"\d+ errors? in 1 file\s*$", output);
    }

    [Fact]
    public void Single_files_are_checked_on_their_own()
    {
        var good = Write("good.yaml", """
            flow: good
            start: hello
            steps:
              hello:
                say: "Hello."
            """);

        var (exit, output, error) = FlowCli.Run("validate", good);

        Assert.True(exit == 0, error + output);
        Assert.Matches(@"^1 flow valid: good@\w+ ; routes: 0\r?\n$", output);
    }

    [Fact]
    public void Json_report_lists_errors_as_fields()
    {
        var bad = Write("bad.yaml", """
            flow: bad
            start: missing
            steps:
              hello:
                say: "Hello."
            """);

        var (exit, output, _) = FlowCli.Run("validate", bad, "--json");

        Assert.Equal(1, exit);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.False(report.GetProperty("valid").GetBoolean());
        var error = report.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("field").GetString() == "start");
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.EndsWith("bad.yaml", error.GetProperty("file").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_a_usage_error()
    {
        var (exit, _, error) = FlowCli.Run("validate", Path.Combine(_dir, "nope"));

        Assert.Equal(2, exit);
        Assert.Contains("nope", error, StringComparison.Ordinal);
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml + "\n");
        return path;
    }
}
