using System.Text;
using System.Text.Json;
using StepAudio.Telephony.Cli.Train;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

public sealed class TreeTrainerTests
{
    private static readonly string[] Measures = ["hnr_db", "flatness", "voiced_fraction", "mel3_db"];

    [Theory]
    [InlineData(TreeBooster.FastTree, false)]
    [InlineData(TreeBooster.LightGbm, false)]
    [InlineData(TreeBooster.FastTree, true)]
    [InlineData(TreeBooster.LightGbm, true)]
    public void Exported_trees_reproduce_ml_net_scores_to_1e_5_after_a_json_round_trip(TreeBooster booster, bool twoStage)
    {
        var (document, mlNet) = TreeTrainer.FitWithScorer("vocal_event", SeededFeatureRows.Create(400, 1), Measures, trees: 30, leaves: 8, minLeafClips: 5, booster: booster, twoStage: twoStage);
        var model = LinearModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document))), "round trip");
        var names = ModelFeatures.Names.ToList();

        Assert.Equal(["laugh", "none", "sigh"], model.Classes);
        Assert.Equal(LinearModelDocument.TreeFormat, model.Document.Format);
        // Two stages: the none part is the gate, the probabilities still sum to one.
        Assert.Equal(twoStage ? TreeEnsembleDocument.EventGatePlatt : TreeEnsembleDocument.OneVersusAllPlatt, model.Document.Trees!.Output);
        Assert.Equal(twoStage ? 1 : null, model.Document.Trees.GateClass);
        Assert.All(SeededFeatureRows.Create(20, 4), row => Assert.Equal(1.0, model.Predict(row.Values).Probabilities.Sum(), 6));
        Assert.All(document.Trees!.Classes, c => Assert.Equal(30, c.Trees.Count));
        var largest = 0.0;
        var agreements = 0;
        foreach (var row in SeededFeatureRows.Create(300, 2))
        {
            var expected = mlNet([.. Measures.Select(m => (float)row.Values[names.IndexOf(m)])]);
            var actual = model.Predict(row.Values).Probabilities;
            for (var c = 0; c < expected.Length; c++)
            {
                largest = Math.Max(largest, Math.Abs(expected[c] - actual[c]));
            }

            agreements += model.Classes[Array.IndexOf(expected, expected.Max())] == row.Label ? 1 : 0;
        }

        Assert.True(largest <= 1e-5, $"largest difference from ML.NET {largest:E2}");

        // The comparison means something only if the trees learnt the rule (well above the 1/3 of guessing).
        Assert.True(agreements > 200, $"{agreements} of 300 right");
    }

    [Fact]
    public void LightGbm_trees_are_the_same_on_a_second_fit()
    {
        // One thread, a fixed seed and no bagging: the shipped model must be reproducible from its provenance.
        var rows = SeededFeatureRows.Create(300, 3);
        var first = JsonSerializer.Serialize(TreeTrainer.FitWithScorer("vocal_event", rows, Measures, trees: 20, leaves: 8, minLeafClips: 5, booster: TreeBooster.LightGbm).Document);
        var second = JsonSerializer.Serialize(TreeTrainer.FitWithScorer("vocal_event", rows, Measures, trees: 20, leaves: 8, minLeafClips: 5, booster: TreeBooster.LightGbm).Document);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Trees_never_read_duration_for_vocal_events()
    {
        Assert.DoesNotContain("duration_s", ModelTraining.FeaturesFor("vocal_event", trees: true));
        Assert.Contains("duration_s", ModelTraining.FeaturesFor("vocal_event"));
        Assert.Contains("mel1_db", ModelTraining.FeaturesFor("vocal_event", trees: true));
    }

    [Fact]
    public void The_mel_cepstrum_is_offered_to_vocal_events_only()
    {
        // The emotion model keeps the inputs it was chosen on; the 20-filter cepstrum was added for events.
        Assert.Contains("mfcc1_mean", ModelTraining.FeaturesFor("vocal_event", trees: true));
        Assert.Contains("onset_flux_db", ModelTraining.FeaturesFor("vocal_event"));
        Assert.DoesNotContain(ModelTraining.FeaturesFor("emotion"), n => ModelFeatures.MelCepstrumNames.Contains(n));
    }
}
