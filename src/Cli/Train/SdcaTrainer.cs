using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Fits a multinomial logistic regression (ML.NET <c>SdcaMaximumEntropy</c>) on standardised measures, with each
/// class weighted by the inverse of its frequency (the figure that matters is UAR, not accuracy), and exports the
/// weights as a <see cref="LinearModelDocument"/>: the analyzer then runs it without ML.NET.
/// </summary>
public static class SdcaTrainer
{
    /// <summary>Largest standardised value the trainer sees (the run-time model clamps the same way).</summary>
    private const float ClampSd = 5;

    /// <summary>The L2 penalty of the shipped models (and of <c>train</c> without <c>--l2</c>).</summary>
    public const float DefaultL2 = 0.01f;

    /// <summary>Trains on <paramref name="rows"/> over the measures <paramref name="featureNames"/>.</summary>
    public static LinearModelDocument Fit(string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames, float l2 = DefaultL2)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(featureNames);
        var columns = featureNames.Select(ModelFeatures.IndexOf).ToArray();
        var features = new List<LinearModelFeature>();
        for (var j = 0; j < columns.Length; j++)
        {
            var values = rows.Select(r => r.Values[columns[j]]).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            features.Add(new LinearModelFeature { Name = featureNames[j], Mean = mean, Std = std > 1e-9 ? std : 1 });
        }

        var counts = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count());
        var examples = rows.Select(r => new Example
        {
            Label = r.Label,
            Weight = rows.Count / (float)(counts.Count * counts[r.Label]),
            Features = [.. columns.Select((c, j) => Math.Clamp((float)((r.Values[c] - features[j].Mean) / features[j].Std), -ClampSd, ClampSd))],
        }).ToList();

        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns.Length);
        var data = ml.Data.LoadFromEnumerable(examples, schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Example.Label), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                nameof(Example.Label), nameof(Example.Features), nameof(Example.Weight), l2Regularization: l2, maximumNumberOfIterations: 200));
        var fitted = pipeline.Fit(data);

        VBuffer<ReadOnlyMemory<char>> keys = default;
        fitted.Transform(data).Schema[nameof(Example.Label)].GetKeyValues(ref keys);
        var classes = keys.DenseValues().Select(k => k.ToString()).ToList();
        var parameters = fitted.LastTransformer.Model;
        VBuffer<float>[] weights = [];
        parameters.GetWeights(ref weights, out var classCount);
        var biases = parameters.GetBiases().ToArray();
        if (classCount != classes.Count)
        {
            throw new InvalidOperationException($"trainer returned {classCount} classes for {classes.Count} labels");
        }

        return new LinearModelDocument
        {
            Task = task,
            Classes = classes,
            Features = features,
            Weights = [.. weights.Select(w => (IList<double>)[.. w.DenseValues().Select(v => (double)v)])],
            Biases = [.. biases.Select(b => (double)b)],
        };
    }

    private sealed class Example
    {
        public string Label { get; set; } = "";

        public float Weight { get; set; }

        public float[] Features { get; set; } = [];
    }
}
