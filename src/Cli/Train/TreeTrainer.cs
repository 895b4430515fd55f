using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Fits boosted trees (one-versus-all over ML.NET <c>FastTree</c> or <c>LightGbm</c> binary classifiers, Platt-calibrated, probabilities
/// normalised to sum to one as ML.NET's <c>OneVersusAll</c> does) on the raw measures, each class weighted by the inverse of its frequency, and exports every
/// tree (split feature, threshold, children, leaf values, tree weight, bias, Platt slope and offset) into a
/// <see cref="LinearModelDocument.TreeFormat"/> document that <see cref="TreeEnsemble"/> runs without ML.NET.
/// </summary>
public static class TreeTrainer
{
    /// <summary>Trains on <paramref name="rows"/> over the measures <paramref name="featureNames"/> with the default sizes.</summary>
    public static LinearModelDocument Fit(string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames) =>
        FitWithScorer(task, rows, featureNames).Document;

    /// <summary>A trainer of trees of the given sizes, in the shape cross-validation calls.</summary>
    public static Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> With(TreeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (task, rows, names) => FitWithScorer(task, rows, names, settings.Trees, settings.Leaves, settings.MinLeafClips, settings.LearningRate, settings.Booster, settings.TwoStage).Document;
    }

    /// <summary>
    /// Trains, and also returns ML.NET's own scorer of the fitted pipeline (class probabilities in
    /// <see cref="LinearModelDocument.Classes"/> order for one row of <paramref name="featureNames"/> values), so a test
    /// can hold the exported trees to what ML.NET computes.
    /// </summary>
    public static (LinearModelDocument Document, Func<float[], float[]> MlNetScores) FitWithScorer(
        string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames, int trees = 100, int leaves = 16, int minLeafClips = 10, double learningRate = 0.1,
        TreeBooster booster = TreeBooster.FastTree, bool twoStage = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(featureNames);
        var columns = featureNames.Select(ModelFeatures.IndexOf).ToArray();
        var counts = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count());
        var examples = rows.Select(r => new Example
        {
            Label = r.Label,
            Weight = rows.Count / (float)(counts.Count * counts[r.Label]),
            Features = [.. columns.Select(c => (float)r.Values[c])],
        }).ToList();

        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns.Length);
        var classes = counts.Keys.Order(StringComparer.Ordinal).ToList();
        var parts = new List<TreeClassDocument>();
        var engines = new List<PredictionEngine<Example, Scored>>();
        var gate = twoStage && classes.Count >= 3 ? classes.IndexOf("none") : -1;
        foreach (var name in classes)
        {
            // One class against the rest, as ML.NET's OneVersusAll trains it (its parts are not public, so the loop
            // is ours; each part is ML.NET's own calibrated FastTree or LightGbm binary model). Two stages: the none
            // part is the gate (none against every event, each side half the weight), the event parts see events only.
            var data = ml.Data.LoadFromEnumerable(gate < 0 ? examples.Select(e => e with { IsClass = e.Label == name })
                : TwoStageExamples(examples, counts, name, classes[gate]), schema);
            ITransformer fitted;
            if (booster == TreeBooster.LightGbm)
            {
                // One thread and a fixed seed; LightGBM's defaults neither bag nor sub-sample features, so a fit is
                // reproducible from its provenance.
                var lightGbm = ml.BinaryClassification.Trainers.LightGbm(Columns(new LightGbmBinaryTrainer.Options
                {
                    NumberOfIterations = trees,
                    NumberOfLeaves = leaves,
                    MinimumExampleCountPerLeaf = minLeafClips,
                    LearningRate = learningRate,
                    NumberOfThreads = 1,
                    Seed = 1,
                    Silent = true,
                })).Fit(data);
                parts.Add(Export(lightGbm.Model.SubModel, lightGbm.Model.Calibrator));
                fitted = lightGbm;
            }
            else
            {
                var fastTree = ml.BinaryClassification.Trainers.FastTree(Columns(new FastTreeBinaryTrainer.Options
                {
                    NumberOfTrees = trees,
                    NumberOfLeaves = leaves,
                    MinimumExampleCountPerLeaf = minLeafClips,
                    LearningRate = learningRate,
                    NumberOfThreads = 1,
                })).Fit(data);
                parts.Add(Export(fastTree.Model.SubModel, fastTree.Model.Calibrator));
                fitted = fastTree;
            }

            engines.Add(ml.Model.CreatePredictionEngine<Example, Scored>(fitted, inputSchemaDefinition: schema));
        }

        var document = new LinearModelDocument
        {
            Format = LinearModelDocument.TreeFormat,
            Task = task,
            Classes = classes,
            Features = [.. featureNames.Select(n => new LinearModelFeature { Name = n, Mean = 0, Std = 1 })],
            Trees = gate < 0 ? new TreeEnsembleDocument { Classes = parts }
                : new TreeEnsembleDocument { Output = TreeEnsembleDocument.EventGatePlatt, GateClass = gate, Classes = parts },
        };
        return (document, values => NormalizeSumToOne([.. engines.Select(e => e.Predict(new Example { Features = values }).Probability)], gate));
    }

    /// <summary>Points a binary trainer's options at <see cref="Example"/>'s label, features and weight.</summary>
    private static T Columns<T>(T options)
        where T : TrainerInputBaseWithWeight
    {
        options.LabelColumnName = nameof(Example.IsClass);
        options.FeatureColumnName = nameof(Example.Features);
        options.ExampleWeightColumnName = nameof(Example.Weight);
        return options;
    }

    /// <summary>
    /// The examples of one part of a two-stage model: for the gate (<paramref name="none"/>) every example, none
    /// against any event, each side weighted to half and the events balanced among themselves; for an event class
    /// the event examples only, balanced among the event classes.
    /// </summary>
    private static IEnumerable<Example> TwoStageExamples(List<Example> examples, Dictionary<string, int> counts, string part, string none)
    {
        var events = counts.Count - 1;
        var eventClips = examples.Count - counts[none];
        return part == none
            ? examples.Select(e => e with
            {
                IsClass = e.Label == none,
                Weight = e.Label == none ? examples.Count / (2f * counts[none]) : examples.Count / (2f * events * counts[e.Label]),
            })
            : examples.Where(e => e.Label != none).Select(e => e with { IsClass = e.Label == part, Weight = eventClips / (float)(events * counts[e.Label]) });
    }

    /// <summary>
    /// ML.NET's one-versus-all probability normalisation: negatives to zero, then divided by the sum (if any). With a
    /// <paramref name="gate"/> (two stages) the gate keeps its probability and the others share what it leaves.
    /// </summary>
    private static float[] NormalizeSumToOne(float[] p, int gate)
    {
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] >= 0)
            {
                sum += i == gate ? 0 : p[i];
            }
            else
            {
                p[i] = 0;
            }
        }

        var share = gate >= 0 ? 1 - (double)p[gate] : 1;
        if (sum > 0)
        {
            for (var i = 0; i < p.Length; i++)
            {
                p[i] = i == gate ? p[i] : (float)(share * p[i] / sum);
            }
        }

        return p;
    }

    private static TreeClassDocument Export(TreeEnsembleModelParametersBasedOnRegressionTree trees, PlattCalibrator calibrator)
    {
        var ensemble = trees.TrainedTreeEnsemble;
        return new TreeClassDocument
        {
            Bias = ensemble.Bias,
            PlattSlope = calibrator.Slope,
            PlattOffset = calibrator.Offset,
            Trees = [.. ensemble.Trees.Select((tree, i) => tree.CategoricalSplitFlags.Any(f => f)
                ? throw new InvalidOperationException("categorical splits are not exported")
                : new TreeDocument
                {
                    Weight = ensemble.TreeWeights[i],
                    SplitFeature = [.. tree.NumericalSplitFeatureIndexes],
                    Threshold = [.. tree.NumericalSplitThresholds.Select(t => (double)t)],
                    Left = [.. tree.LeftChild],
                    Right = [.. tree.RightChild],
                    LeafValues = [.. tree.LeafValues],
                })],
        };
    }

    private sealed record Example
    {
        public string Label { get; set; } = "";

        public bool IsClass { get; set; }

        public float Weight { get; set; } = 1;

        public float[] Features { get; set; } = [];
    }

    private sealed class Scored
    {
        public float Probability { get; set; }
    }
}
