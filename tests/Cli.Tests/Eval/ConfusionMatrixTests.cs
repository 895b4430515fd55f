using StepAudio.Telephony.Cli.Eval;

namespace StepAudio.Telephony.Cli.Tests.Eval;

public sealed class ConfusionMatrixTests
{
    // Hand-worked example. Truth → predicted:
    //   a: a, a, b, x      (support 4)
    //   b: b, a            (support 2)
    //   c: (none)          (support 0: excluded from macro means)
    // precision a = 2/3, recall a = 2/4, F1 a = 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7
    // precision b = 1/2, recall b = 1/2, F1 b = 1/2
    // accuracy = 3/6; UAR = (1/2 + 1/2)/2 = 1/2; macro precision = (2/3 + 1/2)/2 = 7/12; macro F1 = (4/7 + 1/2)/2 = 15/28.
    private static ConfusionMatrix Example()
    {
        var m = new ConfusionMatrix(["a", "b", "c"]);
        foreach (var (truth, predicted) in new[] { ("a", "a"), ("a", "a"), ("a", "b"), ("a", "x"), ("b", "b"), ("b", "a") })
        {
            m.Add(truth, predicted);
        }

        return m;
    }

    [Fact]
    public void Per_label_metrics_match_the_hand_worked_example()
    {
        var m = Example();

        Assert.Equal(2.0 / 3, m.Precision(0), 12);
        Assert.Equal(0.5, m.Recall(0), 12);
        Assert.Equal(4.0 / 7, m.F1(0), 12);
        Assert.Equal(0.5, m.F1(1), 12);
        Assert.Equal(4, m.Support(0));
        Assert.Equal(0, m.Support(2));
        Assert.Equal(0, m.Precision(2));
        Assert.Equal(0, m.F1(2));
    }

    [Fact]
    public void Averages_count_only_labels_with_support()
    {
        var m = Example();

        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(0.5, m.MacroRecall, 12);
        Assert.Equal(7.0 / 12, m.MacroPrecision, 12);
        Assert.Equal(15.0 / 28, m.MacroF1, 12);
        Assert.Equal(0.5, m.ChanceUar, 12);
    }

    [Fact]
    public void Predictions_outside_the_labels_become_extra_columns()
    {
        var m = Example();

        Assert.Equal(["a", "b", "c", "x"], m.Predicted);
        Assert.Equal(1, m.Count(0, 3));
    }

    [Fact]
    public void A_truth_outside_the_labels_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a"]).Add("z", "a"));
    }
}
