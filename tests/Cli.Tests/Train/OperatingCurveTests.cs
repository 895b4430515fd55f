using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>The curve counts, per threshold, target recall and the non-target bursts and speech that raise an event.</summary>
public sealed class OperatingCurveTests
{
    private static readonly string[] Classes = ["laugh", "none", "sigh"];
    private static readonly string[] Labels = ["laugh", "sigh", "none"];

    [Fact]
    public void Each_threshold_row_gives_target_uar_and_alarm_shares_per_set()
    {
        List<(FeatureRow, LinearPrediction, IReadOnlyList<string>)> heldOut =
        [
            Row("laugh", 0, 0.9, 0.05, 0.05), // found at every threshold up to 0.90
            Row("sigh", 0, 0.1, 0.3, 0.6),    // found up to 0.60
            Row("none", 0, 0.5, 0.4, 0.1),    // a non-target burst read as a laugh up to 0.50
            Row("none", 0, 0.1, 0.8, 0.1),
            Row("none", 1, 0.05, 0.25, 0.7), // speech read as a sigh up to 0.70
            Row("none", 1, 0.0, 1.0, 0.0),
        ];
        using var output = new StringWriter();

        OperatingCurve.Write(heldOut, ["telephone/events", "telephone/speech"], Labels, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("operating curve (held-out predictions of the outer folds): threshold | telephone/events: target UAR, non-target alarms | telephone/speech: alarms", lines[0]);
        Assert.Equal(OperatingCurve.Thresholds.Count + 1, lines.Length);
        Assert.Contains("0.50 | 1.000, 50.0 % | 50.0 %", lines);
        Assert.Contains("0.55 | 1.000, 0.0 % | 50.0 %", lines);
        Assert.Contains("0.65 | 0.500, 0.0 % | 50.0 %", lines);
        Assert.Contains("0.75 | 0.500, 0.0 % | 0.0 %", lines);
        Assert.Contains("0.95 | 0.000, 0.0 % | 0.0 %", lines);
    }

    private static (FeatureRow, LinearPrediction, IReadOnlyList<string>) Row(string label, int set, double laugh, double none, double sigh)
    {
        double[] p = [laugh, none, sigh];
        return (new FeatureRow([], label, "s", set), new LinearPrediction(Array.IndexOf(p, p.Max()), p, []), Classes);
    }
}
