using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>Confident learning drops a training clip only when another class is confidently its sound.</summary>
public sealed class LabelCleaningTests
{
    private static readonly string[] Classes = ["laugh", "none", "sigh"];

    [Fact]
    public void A_sigh_that_the_models_confidently_call_a_laugh_is_dropped_and_speech_is_never_dropped()
    {
        List<(FeatureRow, LinearPrediction)> predictions =
        [
            // Laughs: mean laugh probability 0.7 (the laugh threshold).
            Row("laugh", 0, 0.8, 0.1, 0.1), Row("laugh", 0, 0.6, 0.2, 0.2),

            // Sighs (mean sigh probability over the four: 0.425). The third reads as a laugh at 0.85 ≥ 0.7: an issue.
            Row("sigh", 0, 0.1, 0.2, 0.7), Row("sigh", 0, 0.2, 0.2, 0.6), Row("sigh", 0, 0.85, 0.05, 0.1, speaker: "laughing-sigher"),

            // A sigh unsure between everything: no class reaches its threshold, so it stays.
            Row("sigh", 0, 0.4, 0.3, 0.3),

            // Non-target bursts and speech (mean none probability 0.42); speech (set 1, all none) is never an issue, even read as a laugh.
            Row("none", 0, 0.1, 0.8, 0.1), Row("none", 0, 0.3, 0.4, 0.3),
            Row("none", 1, 0.9, 0.05, 0.05),
        ];

        var removed = new Dictionary<string, int>();
        var kept = LabelCleaning.Clean(predictions, Classes, removed);

        Assert.Equal(8, kept.Count);
        Assert.Equal(predictions.Count - kept.Count, removed.Values.Sum());
        Assert.Equal(1, removed["sigh → laugh"]);
        Assert.DoesNotContain(kept, r => r.Speaker == "laughing-sigher");
        Assert.Contains(kept, r => r.Set == 1);
    }

    [Fact]
    public void By_rank_the_lowest_share_of_each_class_by_its_own_label_goes_and_speech_stays()
    {
        List<(FeatureRow, LinearPrediction)> predictions =
        [
            // Four sighs: own-label probabilities 0.7, 0.6, 0.1, 0.3. Half of four: the 0.1 and the 0.3 go.
            Row("sigh", 0, 0.1, 0.2, 0.7), Row("sigh", 0, 0.2, 0.2, 0.6),
            Row("sigh", 0, 0.85, 0.05, 0.1, speaker: "lowest"), Row("sigh", 0, 0.3, 0.4, 0.3, speaker: "second"),

            // Two laughs: half of two is one, the 0.5.
            Row("laugh", 0, 0.9, 0.05, 0.05), Row("laugh", 0, 0.5, 0.1, 0.4, speaker: "weak laugh"),

            // Three non-target bursts: half of three rounds down to one (the 0.2). Speech (set 1) never goes.
            Row("none", 0, 0.1, 0.8, 0.1), Row("none", 0, 0.7, 0.2, 0.1, speaker: "eventful"), Row("none", 0, 0.3, 0.4, 0.3),
            Row("none", 1, 0.9, 0.05, 0.05), Row("none", 1, 0.8, 0.1, 0.1),
        ];

        var removed = new Dictionary<string, int>();
        var kept = LabelCleaning.Lowest(predictions, Classes, 0.5, removed);

        Assert.Equal(predictions.Count - 4, kept.Count);
        Assert.DoesNotContain(kept, r => r.Speaker is "lowest" or "second" or "weak laugh" or "eventful");
        Assert.Equal(2, kept.Count(r => r.Set == 1));
        // Counted by the class each dropped clip was heard as.
        Assert.Equal(1, removed["sigh → laugh"]);
        Assert.Equal(1, removed["sigh → none"]);
        Assert.Equal(1, removed["laugh → laugh"]);
        Assert.Equal(1, removed["none → laugh"]);
    }

    private static (FeatureRow, LinearPrediction) Row(string label, int set, double laugh, double none, double sigh, string speaker = "s")
    {
        double[] p = [laugh, none, sigh];
        var best = Array.IndexOf(p, p.Max());
        return (new FeatureRow([], label, speaker, set), new LinearPrediction(best, p, []));
    }
}
