using System.Text.Json;
using StepAudio.Telephony.Cli.Tests.Flows;

namespace StepAudio.Telephony.Cli.Tests.Voices;

/// <summary><c>stepaudio voices</c> lists what a flow may write as <c>voice</c>, from the installed espeak-ng.</summary>
public sealed class VoicesCommandTests
{
    [Fact]
    public void English_voices_are_listed_with_their_names()
    {
        var (exit, output, error) = FlowCli.Run("voices", "--language", "en");

        Assert.True(exit == 0, error);
        Assert.Matches(@"(?m)^en-us\s+English \(America\)\s+M\s+also: en$", output);
        Assert.DoesNotContain("\nde ", output, StringComparison.Ordinal);
        Assert.Matches(@"\d+ voices; a flow writes the first column as voice:", output);
    }

    [Fact]
    public void Json_and_variants_are_available()
    {
        var (exit, output, _) = FlowCli.Run("voices", "--json");
        var (variantsExit, variants, _) = FlowCli.Run("voices", "--variants");

        Assert.Equal((0, 0), (exit, variantsExit));
        var voices = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(v => v.GetProperty("language").GetString()).ToList();
        Assert.Contains("de", voices);
        Assert.Contains("en-us", voices);
        Assert.Matches(@"(?m)^klatt$", variants);
    }

    [Fact]
    public void A_missing_espeak_ng_exits_1_with_the_reason()
    {
        var (exit, _, error) = FlowCli.Run("voices", "--espeak", "/nonexistent/espeak-ng");

        Assert.Equal(1, exit);
        Assert.Contains("could not be started", error, StringComparison.Ordinal);
    }
}
