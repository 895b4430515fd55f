using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>The event threshold: best UAR on the event sets among thresholds that keep each speech set's false alarms under the bound.</summary>
public sealed class EventThresholdCalibrationTests
{
    private static readonly string[] Classes = ["laugh", "none"];

    [Fact]
    public void The_threshold_with_the_best_uar_among_those_that_keep_speech_quiet_wins()
    {
        // Events set: laughs at 0.5–0.9, two non-target sounds read as laugh at 0.55. Speech: 10 sentences, one at 0.7.
        // UAR by threshold: ≤ 0.50 → 0.5 (every laugh, every non-target alarms); 0.56–0.60 → 0.9; 0.71–0.80 → 0.7.
        var predictions = new List<(FeatureRow, LinearPrediction)>();
        foreach (var p in new[] { 0.5, 0.6, 0.7, 0.8, 0.9 })
        {
            predictions.Add(Row("laugh", 0, p));
        }

        predictions.Add(Row("none", 0, 0.55));
        predictions.Add(Row("none", 0, 0.55));
        for (var i = 0; i < 9; i++)
        {
            predictions.Add(Row("none", 1, 0.2));
        }

        predictions.Add(Row("none", 1, 0.7));

        // 10 % of speech may alarm: 0.56 loses the laugh at 0.5 and silences both non-target sounds.
        Assert.Equal(0.56, new EventThresholdCalibration(0.10).Choose(predictions, Classes, Classes));

        // Nothing may alarm: the sentence at 0.7 must stay quiet, so 0.71 (two laughs found, UAR 0.7).
        Assert.Equal(0.71, new EventThresholdCalibration(0).Choose(predictions, Classes, Classes));
    }

    [Fact]
    public void The_non_target_bound_raises_the_threshold_above_the_non_target_bursts()
    {
        // Events set: laughs at 0.5–0.9; four non-target bursts, two read as laugh at 0.75. Speech: 10 quiet sentences.
        // UAR by threshold: ≤ 0.50 → 0.75 (all laughs; half the non-target bursts alarm); 0.76–0.80 → 0.7.
        var predictions = new List<(FeatureRow, LinearPrediction)>();
        foreach (var p in new[] { 0.5, 0.6, 0.7, 0.8, 0.9 })
        {
            predictions.Add(Row("laugh", 0, p));
        }

        foreach (var p in new[] { 0.3, 0.3, 0.75, 0.75 })
        {
            predictions.Add(Row("none", 0, p));
        }

        for (var i = 0; i < 10; i++)
        {
            predictions.Add(Row("none", 1, 0.2));
        }

        // Speech alone bounds nothing here: the lowest threshold has the best UAR, at 50 % non-target alarms.
        Assert.Equal(0.40, new EventThresholdCalibration(0.04).Choose(predictions, Classes, Classes));

        // At most one of the four non-target bursts (25 %) may alarm: above 0.75.
        Assert.Equal(0.76, new EventThresholdCalibration(0.04, MaxNonTargetAlarms: 0.25).Choose(predictions, Classes, Classes));

        // None may, and the laughs at 0.9 cannot keep them quiet unless the threshold passes 0.75: the same answer;
        // a bound no threshold meets gives none.
        Assert.Equal(0.76, new EventThresholdCalibration(0.04, MaxNonTargetAlarms: 0).Choose(predictions, Classes, Classes));
        predictions.Add(Row("none", 0, 0.999));
        Assert.Null(new EventThresholdCalibration(0.04, MaxNonTargetAlarms: 0).Choose(predictions, Classes, Classes));
    }

    [Fact]
    public void No_threshold_is_chosen_when_none_meets_the_bound()
    {
        List<(FeatureRow, LinearPrediction)> predictions = [Row("laugh", 0, 0.9), Row("none", 1, 0.999)];

        Assert.Null(new EventThresholdCalibration(0).Choose(predictions, Classes, Classes));
    }

    /// <summary>A clip of <paramref name="set"/> labelled <paramref name="label"/> whose model says laugh with probability <paramref name="laugh"/>.</summary>
    private static (FeatureRow, LinearPrediction) Row(string label, int set, double laugh) =>
        (new FeatureRow([], label, $"s{set}", set), new LinearPrediction(laugh >= 0.5 ? 0 : 1, [laugh, 1 - laugh], []));
}
