using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>Nested choice of the trees' size: scored at the calibrated threshold on the training speakers' inner folds.</summary>
public sealed class TreeSizeSelectionTests
{
    private static readonly string[] Measures = ["hnr_db", "flatness", "voiced_fraction", "mel3_db"];
    private static readonly string[] Labels = ["laugh", "sigh", "none"];

    [Fact]
    public void The_size_that_learns_the_rule_wins_and_brings_its_threshold()
    {
        // A stump at a tiny learning rate cannot separate three classes; 30 trees of 8 leaves can. The able one is
        // listed second, so a selection that kept the first candidate (or the smaller on anything but a tie) fails.
        var weak = new TreeSettings(1, 2, 5, 0.01);
        var able = new TreeSettings(30, 8, 5, 0.2);
        var log = new StringWriter();
        var fit = TreeSizeSelection.Around([weak, able], new EventThresholdCalibration(0.04), Labels, log);

        var document = fit("vocal_event", SeededFeatureRows.Create(420, 3), Measures);

        Assert.All(document.Trees!.Classes, c => Assert.Equal(30, c.Trees.Count));
        Assert.NotNull(document.MinEventProbability);
        Assert.InRange(document.MinEventProbability!.Value, EventThresholdCalibration.Lowest, 0.99);
        Assert.Contains("30x8@0.2", (string)document.Provenance["tree_size"]!, StringComparison.Ordinal);
        Assert.Contains("tree size by inner 3-fold CV of 7 speakers: 30x8@0.2", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("50x8@0.2", 50, 8, 0.2)]
    [InlineData("100x16@0.1", 100, 16, 0.1)]
    public void Sizes_parse_as_trees_leaves_and_rate(string text, int trees, int leaves, double rate)
    {
        Assert.Equal(new TreeSettings(trees, leaves, 20, rate), TreeSizeSelection.Parse(text, 20));
    }

    [Theory]
    [InlineData("50x8")]
    [InlineData("50@0.2")]
    [InlineData("ax8@0.2")]
    [InlineData("50x1@0.2")]
    [InlineData("50x8@1.5")]
    public void Malformed_or_untrainable_sizes_are_refused(string text)
    {
        Assert.Throws<InvalidOperationException>(() => TreeSizeSelection.Parse(text, 20));
    }

    [Fact]
    public void Measures_are_excluded_by_name_or_by_prefix()
    {
        Assert.True(ModelTraining.IsExcluded("cep5_mean", ["cep5*"]));
        Assert.True(ModelTraining.IsExcluded("sustain_share", ["sustain_share"]));
        Assert.False(ModelTraining.IsExcluded("sustain_share_x", ["sustain_share"]));
        Assert.False(ModelTraining.IsExcluded("cep1_mean", ["cep5*", "mel1_db"]));
    }
}
