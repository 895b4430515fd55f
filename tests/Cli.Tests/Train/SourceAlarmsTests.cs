using StepAudio.Telephony.Cli.Train;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>False alarms per source of none clips, for the sets that mix sources (Coswara beside EmoGator or EmoDB).</summary>
public sealed class SourceAlarmsTests
{
    [Theory]
    [InlineData("coswara-0Rlzhiz6bybk77wdLjxwy7yLDhg1", "coswara")]
    [InlineData("emogator-000001", "emogator")]
    [InlineData("speaker", "speaker")]
    public void The_source_is_the_speaker_name_before_the_first_dash(string speaker, string source) =>
        Assert.Equal(source, SourceAlarms.SourceOf(speaker));

    [Fact]
    public void A_set_that_mixes_sources_gets_one_line_per_source_and_a_single_source_set_none()
    {
        List<(FeatureRow, string)> decisions =
        [
            (Row("none", "emogator-000002", 0), "none"),
            (Row("none", "emogator-000003", 0), "laugh"),
            (Row("none", "emogator-000003", 0), "none"),
            (Row("none", "emogator-000005", 0), "none"),
            (Row("none", "coswara-a", 0), "cough"),
            (Row("none", "coswara-b", 0), "none"),
            (Row("cough", "coswara-b", 0), "none"), // an event clip: not an alarm, not counted
            (Row("none", "emodb-09", 1), "sigh"),    // the speech set has one source: its line is the overall one
        ];
        using var output = new StringWriter();

        SourceAlarms.Write(decisions, ["telephone/events", "telephone/speech"], output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            [
                "false alarms telephone/events, coswara none clips: 1 of 2 raised an event (50.0 %)",
                "false alarms telephone/events, emogator none clips: 1 of 4 raised an event (25.0 %)",
            ],
            lines);
    }

    private static FeatureRow Row(string label, string speaker, int set) => new([0.0], label, speaker, set);
}
