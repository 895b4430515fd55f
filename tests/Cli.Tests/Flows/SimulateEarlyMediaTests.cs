using System.Globalization;
using System.Text.Json;

namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>
/// <c>simulate</c> honours a flow's <c>early_media</c> as the gateway does (both through EarlyMediaPlayer): the
/// announcement is heard before the answer, and <c>CallStarted</c>, which is billing, comes only at the answer.
/// </summary>
public sealed class SimulateEarlyMediaTests : IDisposable
{
    private const string Answered = "2026-11-23T10:00:00+01:00";

    private readonly string _dir = Directory.CreateTempSubdirectory("stepaudio-early-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_announcement_plays_before_the_answer_and_CallStarted_comes_at_the_answer()
    {
        var flow = Flow("early_media:\n  say: \"Calls on this line are recorded.\"\n");

        var (exit, output, error) = FlowCli.Run("simulate", flow, "--model", FlowCli.VadModel, "--no-network", "--at", Answered, "--json");

        Assert.True(exit == 0, error + output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var early = lines.FindIndex(l => l.GetProperty("type").GetString() == "trace" && l.GetProperty("kind").GetString() == "early");
        var started = lines.FindIndex(l => l.GetProperty("type").GetString() == "event" && l.GetProperty("event").GetString() == "CallStarted");
        Assert.True(early >= 0, output);
        Assert.True(started > early, output);

        // The announcement ends where call time starts: it lasts as long as espeak-ng says it, at negative time.
        var at = lines[early].GetProperty("at").GetDouble();
        Assert.InRange(at, -10, -0.5);
        Assert.Contains("\"Calls on this line are recorded.\"", lines[early].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, lines[started].GetProperty("at").GetDouble());
        var timestamp = lines[started].GetProperty("message").GetProperty("timestamp").GetDateTimeOffset();
        Assert.Equal(DateTimeOffset.Parse(Answered, CultureInfo.InvariantCulture), timestamp);

        // Nothing of the flow itself ran before the answer.
        var firstStep = lines.FindIndex(l => l.GetProperty("type").GetString() == "trace" && l.GetProperty("kind").GetString() == "step");
        Assert.True(firstStep > started, output);
    }

    [Fact]
    public void A_missing_announcement_prompt_is_reported_and_the_call_is_answered_without_it()
    {
        var flow = Flow("early_media:\n  play: missing.wav\n");
        Directory.CreateDirectory(Path.Combine(_dir, "prompts"));

        var (exit, output, error) = FlowCli.Run("simulate", flow, "--model", FlowCli.VadModel, "--no-network", "--at", Answered);

        Assert.True(exit == 0, error + output);
        Assert.Contains("0.00s  early not rendered (", output, StringComparison.Ordinal);
        Assert.Contains("answered without it", output, StringComparison.Ordinal);
        Assert.Contains("event CallStarted", output, StringComparison.Ordinal);
        Assert.DoesNotContain("183 Session Progress", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_early_media_nothing_is_played_before_the_answer()
    {
        var (exit, output, error) = FlowCli.Run("simulate", Flow(string.Empty), "--model", FlowCli.VadModel, "--no-network", "--at", Answered);

        Assert.True(exit == 0, error + output);
        Assert.DoesNotContain(" early ", output, StringComparison.Ordinal);
    }

    private string Flow(string earlyMedia)
    {
        var path = Path.Combine(_dir, "announce.yaml");
        File.WriteAllText(
            path,
            "flow: announce\n" + earlyMedia + "start: hello\nsteps:\n  hello:\n    say: \"Hello.\"\n    next: bye\n  bye:\n    hangup: { reason: done }\n");
        return path;
    }
}
