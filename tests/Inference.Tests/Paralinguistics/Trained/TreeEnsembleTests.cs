using System.Text;
using System.Text.Json;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Trained;

public sealed class TreeEnsembleTests
{
    /// <summary>
    /// Two classes over hnr_db (feature 0) and flatness (feature 1). Class laugh: one tree, hnr ≤ 10 → leaf 0 (−1),
    /// else flatness ≤ 0.3 → leaf 1 (+2) else leaf 2 (+0.5); weight 1, bias 0.25, Platt slope −1, offset 0.
    /// Class none: a single-leaf tree worth 0 (probability 0.5).
    /// </summary>
    private static LinearModelDocument TwoClasses() => new()
    {
        Format = LinearModelDocument.TreeFormat,
        Task = "vocal_event",
        Classes = ["laugh", "none"],
        Features =
        [
            new LinearModelFeature { Name = "hnr_db", Mean = 0, Std = 1 },
            new LinearModelFeature { Name = "flatness", Mean = 0, Std = 1 },
        ],
        Trees = new TreeEnsembleDocument
        {
            Classes =
            [
                new TreeClassDocument
                {
                    Bias = 0.25,
                    PlattSlope = -1,
                    Trees = [new TreeDocument { SplitFeature = [0, 1], Threshold = [10, 0.3], Left = [-1, -2], Right = [1, -3], LeafValues = [-1, 2, 0.5] }],
                },
                new TreeClassDocument { PlattSlope = -1, Trees = [new TreeDocument { LeafValues = [0] }] },
            ],
        },
    };

    private static double[] Measures(double hnr, double flatness)
    {
        var values = new double[ModelFeatures.Names.Count];
        values[ModelFeatures.IndexOf("hnr_db")] = hnr;
        values[ModelFeatures.IndexOf("flatness")] = flatness;
        return values;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Theory]
    [InlineData(5, 0.1, -0.75)] // left at the root: leaf 0
    [InlineData(10, 0.9, -0.75)] // equal to the threshold goes left
    [InlineData(15, 0.2, 2.25)] // right, then left: leaf 1
    [InlineData(15, 0.5, 0.75)] // right, right: leaf 2
    public void Probabilities_follow_the_path_platt_and_the_normalisation(double hnr, double flatness, double laughScore)
    {
        var model = LinearModel.FromDocument(TwoClasses(), "test");

        var prediction = model.Predict(Measures(hnr, flatness));

        var laugh = (double)(float)Sigmoid(laughScore);
        Assert.Equal(laugh / (laugh + 0.5), prediction.Probabilities[0], 6);
        Assert.Equal(0.5 / (laugh + 0.5), prediction.Probabilities[1], 6);
        Assert.Equal(laughScore > 0 ? 0 : 1, prediction.Best);
        if (prediction.Best == 1)
        {
            Assert.Empty(prediction.Cues); // none's single leaf has no path to credit
        }
    }

    [Theory]
    [InlineData(15, 0.2, 0.75)] // right at the root (+0.75: 1.25 under node 1 against 0.5 overall), then leaf 1 (2 − 1.25)
    [InlineData(15, 0.5, -0.75)] // then leaf 2 (0.5 − 1.25): flatness spoke against laugh
    public void Tree_cues_credit_each_split_on_the_path_and_sum_to_the_score_above_the_root(double hnr, double flatness, double flatnessPart)
    {
        var model = LinearModel.FromDocument(TwoClasses(), "test");

        var prediction = model.Predict(Measures(hnr, flatness));

        Assert.Equal(0, prediction.Best);
        var hnrCue = Assert.Single(prediction.Cues, c => c.Cue == "hnr_db");
        var flatnessCue = Assert.Single(prediction.Cues, c => c.Cue == "flatness");
        Assert.Equal(0.75, hnrCue.Contribution, 9);
        Assert.Equal(hnr, hnrCue.Value);
        Assert.Equal(flatnessPart, flatnessCue.Contribution, 9);

        // Score − root mean (0.5), times −slope (1): the parts add up exactly.
        var score = flatness <= 0.3 ? 2 : 0.5;
        Assert.Equal(score - 0.5, prediction.Cues.Sum(c => c.Contribution), 9);
    }

    /// <summary>
    /// <see cref="TwoClasses"/> plus sigh (a single leaf: 0.5 before sharing), with none as the two-stage gate: one
    /// tree, flatness ≤ 0.3 → −1 (an event is likelier) else +1, Platt slope −1.
    /// </summary>
    private static LinearModelDocument Gated()
    {
        var two = TwoClasses();
        var document = new LinearModelDocument { Format = two.Format, Task = two.Task, Classes = ["laugh", "none", "sigh"], Features = two.Features, Trees = two.Trees };
        document.Trees!.Output = TreeEnsembleDocument.EventGatePlatt;
        document.Trees.GateClass = 1;
        document.Trees.Classes[1] = new TreeClassDocument
        {
            PlattSlope = -1,
            Trees = [new TreeDocument { SplitFeature = [1], Threshold = [0.3], Left = [-1], Right = [-2], LeafValues = [-1, 1] }],
        };
        document.Trees.Classes.Add(new TreeClassDocument { PlattSlope = -1, Trees = [new TreeDocument { LeafValues = [0] }] });
        return document;
    }

    [Theory]
    [InlineData(15, 0.2, 2.25, -1)]
    [InlineData(15, 0.5, 0.75, 1)]
    [InlineData(5, 0.2, -0.75, -1)]
    public void Two_stages_the_gate_keeps_none_and_the_events_share_the_rest(double hnr, double flatness, double laughScore, double gateScore)
    {
        var model = LinearModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Gated()))), "gated");

        var prediction = model.Predict(Measures(hnr, flatness));

        var laugh = (double)(float)Sigmoid(laughScore);
        var none = (double)(float)Sigmoid(gateScore);
        Assert.Equal(none, prediction.Probabilities[1], 6);
        Assert.Equal((1 - none) * laugh / (laugh + 0.5), prediction.Probabilities[0], 6);
        Assert.Equal((1 - none) * 0.5 / (laugh + 0.5), prediction.Probabilities[2], 6);
    }

    [Fact]
    public void Two_stages_an_events_cues_add_the_gates_turned_towards_an_event()
    {
        var model = LinearModel.FromDocument(Gated(), "gated");

        var prediction = model.Predict(Measures(15, 0.2));

        Assert.Equal(0, prediction.Best);
        // laugh's own path: hnr +0.75, flatness +0.75; the gate's step to leaf −1 (root mean 0) is −1 in none's
        // score, +1 towards an event.
        Assert.Equal(0.75, Assert.Single(prediction.Cues, c => c.Cue == "hnr_db").Contribution, 9);
        Assert.Equal(1.75, Assert.Single(prediction.Cues, c => c.Cue == "flatness").Contribution, 9);
    }

    [Fact]
    public void A_tree_model_survives_json_and_drives_the_detector_threshold()
    {
        var document = TwoClasses();
        document.MinEventProbability = 0.7;
        var json = JsonSerializer.Serialize(document);

        var model = LinearModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "json");

        Assert.Equal(LinearModelDocument.TreeFormat, model.Document.Format);
        var prediction = model.Predict(Measures(15, 0.2));
        Assert.True(prediction.Probabilities[0] is > 0.5 and < 0.7);
        Assert.Equal("none", TrainedVocalEventDetector.Decide(model, prediction));
    }

    [Fact]
    public void The_shipped_vocal_event_model_is_the_two_stage_tree_model_and_never_reads_duration()
    {
        var model = TrainedModels.Resolve("builtin", TrainedModels.BuiltinVocalEvents)!;

        Assert.Equal(LinearModelDocument.TreeFormat, model.Document.Format);
        Assert.DoesNotContain("duration_s", model.Features);
        // scripts/train-paralinguistics.sh chooses among 50 or 100 trees a class by nested CV (100 were chosen); LightGBM
        // may stop a class early when no split gains, so at most that many.
        Assert.All(model.Document.Trees!.Classes, c => Assert.InRange(c.Trees.Count, 1, 100));
        Assert.Contains("non-target bursts", model.Document.Provenance["event_threshold"].ToString(), StringComparison.Ordinal);
        // Two stages: none is the gate of "an event or not", the five events (cough among them) then share what it leaves.
        Assert.Equal(TreeEnsembleDocument.EventGatePlatt, model.Document.Trees.Output);
        Assert.Equal(model.Classes.ToList().IndexOf("none"), model.Document.Trees.GateClass);
        Assert.Contains("two-stage", model.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
        Assert.Contains("LightGbm", model.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
        Assert.Contains("nested", model.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
        Assert.Contains("mel1_contrast_db", model.Features);
    }

    [Theory]
    [InlineData("split feature out of range")]
    [InlineData("negative split feature")]
    [InlineData("child out of range")]
    [InlineData("leaf out of range")]
    [InlineData("cycle")]
    [InlineData("child back to the root")]
    [InlineData("shared leaf")]
    [InlineData("NaN threshold")]
    [InlineData("infinite leaf")]
    [InlineData("NaN platt")]
    [InlineData("too few leaves")]
    [InlineData("missing class")]
    [InlineData("weights with trees")]
    [InlineData("trees without the format")]
    [InlineData("output")]
    [InlineData("gate with two classes")]
    [InlineData("gate without its class")]
    public void Malformed_trees_are_refused_at_load(string fault)
    {
        var document = TwoClasses();
        var laugh = document.Trees!.Classes[0];
        var tree = (TreeDocument)laugh.Trees[0];
        switch (fault)
        {
            case "split feature out of range": tree.SplitFeature[1] = 2; break;
            case "negative split feature": tree.SplitFeature[0] = -1; break;
            case "child out of range": tree.Right[0] = 5; break;
            case "leaf out of range": tree.Left[1] = -4; break;
            case "cycle": tree.Left[1] = 1; tree.Left[0] = -2; break;
            case "child back to the root": tree.Right[1] = 0; break;
            case "shared leaf": tree.Left[1] = -1; break;
            case "NaN threshold": tree.Threshold[0] = double.NaN; break;
            case "infinite leaf": tree.LeafValues[2] = double.PositiveInfinity; break;
            case "NaN platt": laugh.PlattOffset = double.NaN; break;
            case "too few leaves": tree.LeafValues.RemoveAt(2); break;
            case "missing class": document.Trees.Classes.RemoveAt(1); break;
            case "weights with trees": document.Biases.Add(0); document.Biases.Add(0); break;
            case "trees without the format": document.Format = LinearModelDocument.CurrentFormat; break;
            case "output": document.Trees.Output = "softmax"; break;
            case "gate with two classes": document.Trees.Output = TreeEnsembleDocument.EventGatePlatt; document.Trees.GateClass = 1; break;
            case "gate without its class": document.Trees.Output = TreeEnsembleDocument.EventGatePlatt; break;
        }

        var e = Assert.Throws<InvalidDataException>(() => LinearModel.FromDocument(document, "bad.json"));
        Assert.StartsWith("bad.json", e.Message, StringComparison.Ordinal);
    }
}
