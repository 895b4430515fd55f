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

    private static (FeatureRow, LinearPrediction) Row(string label, int set, double laugh, double none, double sigh, string speaker = "s")
    {
        double[] p = [laugh, none, sigh];
        var best = Array.IndexOf(p, p.Max());
        return (new FeatureRow([], label, speaker, set), new LinearPrediction(best, p, []));
    }
}
