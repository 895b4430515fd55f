using System.Text.Json;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// A loaded <see cref="LinearModelDocument"/>: softmax(W·z + b) with z the standardised measures (clamped to ±5 SD so
/// one absurd measure cannot decide alone). Every prediction comes with each measure's contribution to the winning
/// class, which is what makes the model explainable. A <see cref="LinearModelDocument.TreeFormat"/> document runs its
/// <see cref="TreeEnsemble"/> on the raw measures instead; its cues are the path attributions of
/// <see cref="TreeEnsemble.AddContributions"/>.
/// Immutable and thread-safe; no ML.NET at run time.
/// </summary>
public sealed class LinearModel
{
    private const double ClampSd = 5;

    private readonly int[] _featureIndex;
    private readonly double[] _mean;
    private readonly double[] _std;
    private readonly double[][] _weights;
    private readonly double[] _biases;
    private readonly TreeEnsemble? _trees;

    private LinearModel(LinearModelDocument document, int[] featureIndex, TreeEnsemble? trees, LinearModel? firstTurn)
    {
        _trees = trees;
        FirstTurn = firstTurn;
        Document = document;
        Classes = [.. document.Classes];
        Features = [.. document.Features.Select(f => f.Name)];
        _featureIndex = featureIndex;
        _mean = [.. document.Features.Select(f => f.Mean)];
        _std = [.. document.Features.Select(f => f.Std)];
        _weights = [.. document.Weights.Select(row => row.ToArray())];
        _biases = [.. document.Biases];
    }

    /// <summary>What was loaded (provenance included).</summary>
    public LinearModelDocument Document { get; }

    /// <summary>The model's task: <c>emotion</c> or <c>vocal_event</c>.</summary>
    public string Task => Document.Task;

    /// <summary>Class names, in the order of <see cref="LinearPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The measures it reads.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>The model for a caller not heard yet (<see cref="LinearModelDocument.FirstTurn"/>), or <see langword="null"/>: this one judges every turn.</summary>
    public LinearModel? FirstTurn { get; }

    /// <summary>Reads and checks a model file.</summary>
    /// <exception cref="InvalidDataException">The file is not a model this code can run; the message says why.</exception>
    public static LinearModel Load(Stream json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        LinearModelDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<LinearModelDocument>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: not a model file ({e.Message}).", e);
        }

        return FromDocument(document ?? throw new InvalidDataException($"{name}: empty model file."), name);
    }

    /// <summary>Checks <paramref name="document"/> and builds the model.</summary>
    /// <exception cref="InvalidDataException">Inconsistent shapes, unknown measure names or non-finite numbers.</exception>
    public static LinearModel FromDocument(LinearModelDocument document, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        var isTrees = document.Format == LinearModelDocument.TreeFormat;
        if (document.Format != LinearModelDocument.CurrentFormat && !isTrees)
        {
            throw new InvalidDataException($"{name}: format '{document.Format}' is neither {LinearModelDocument.CurrentFormat} nor {LinearModelDocument.TreeFormat}.");
        }

        var classes = document.Classes.Count;
        var features = document.Features.Count;
        if (isTrees != document.Trees is not null || (isTrees && (document.Weights.Count > 0 || document.Biases.Count > 0)))
        {
            throw new InvalidDataException($"{name}: a {LinearModelDocument.TreeFormat} model has trees and no weights; a linear one weights and no trees.");
        }

        if (classes < 2 || (!isTrees && (document.Weights.Count != classes || document.Biases.Count != classes
            || document.Weights.Any(row => row.Count != features))))
        {
            throw new InvalidDataException($"{name}: {classes} classes need {classes} weight rows of {features} and {classes} biases.");
        }

        var index = new int[features];
        for (var i = 0; i < features; i++)
        {
            var feature = document.Features[i];
            index[i] = ModelFeatures.IndexOf(feature.Name);
            if (index[i] < 0)
            {
                throw new InvalidDataException($"{name}: unknown measure '{feature.Name}' (known: {string.Join(", ", ModelFeatures.Names)}).");
            }

            if (!double.IsFinite(feature.Mean) || !double.IsFinite(feature.Std) || feature.Std <= 0)
            {
                throw new InvalidDataException($"{name}: measure '{feature.Name}' needs a finite mean and a positive std.");
            }
        }

        if (document.MinEventProbability is { } threshold && !(threshold is > 0 and <= 1))
        {
            throw new InvalidDataException($"{name}: min_event_probability must be in (0, 1].");
        }

        if (document.Weights.SelectMany(row => row).Concat(document.Biases).Any(w => !double.IsFinite(w)))
        {
            throw new InvalidDataException($"{name}: weights and biases must be finite.");
        }

        var trees = document.Trees is { } ensemble ? TreeEnsemble.FromDocument(ensemble, classes, features, name) : null;
        LinearModel? firstTurn = null;
        if (document.FirstTurn is { } inner)
        {
            if (document.Task != "emotion" || inner.Task != document.Task || !inner.Classes.SequenceEqual(document.Classes) || inner.FirstTurn is not null)
            {
                throw new InvalidDataException($"{name}: first_turn is for emotion models only, with the same task and classes, and has no first_turn of its own.");
            }

            firstTurn = FromDocument(inner, name + " (first turn)");
        }

        return new LinearModel(document, index, trees, firstTurn);
    }

    /// <summary>Classifies one span from all of its <see cref="ModelFeatures"/> values.</summary>
    /// <param name="allMeasures">Values in <see cref="ModelFeatures.Names"/> order.</param>
    /// <param name="topCues">How many contributions to return with the prediction.</param>
    public LinearPrediction Predict(ReadOnlySpan<double> allMeasures, int topCues = 3)
    {
        if (_trees is not null)
        {
            Span<float> inputs = stackalloc float[_featureIndex.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)allMeasures[_featureIndex[i]];
            }

            var p = _trees.Predict(inputs);
            var top = Array.IndexOf(p, p.Max());
            if (topCues <= 0)
            {
                return new LinearPrediction(top, p, []);
            }

            var parts = new double[inputs.Length];
            _trees.AddContributions(inputs, top, parts);
            var treeCues = new List<CueContribution>(parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i] != 0)
                {
                    treeCues.Add(new CueContribution(Features[i], allMeasures[_featureIndex[i]], parts[i]));
                }
            }

            var strongest = treeCues
                .OrderByDescending(c => Math.Abs(c.Contribution))
                .Take(topCues)
                .ToArray();
            return new LinearPrediction(top, p, strongest);
        }

        var z = new double[_featureIndex.Length];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = Math.Clamp((allMeasures[_featureIndex[i]] - _mean[i]) / _std[i], -ClampSd, ClampSd);
        }

        var logits = new double[_biases.Length];
        for (var c = 0; c < logits.Length; c++)
        {
            var sum = _biases[c];
            var w = _weights[c];
            for (var i = 0; i < z.Length; i++)
            {
                sum += w[i] * z[i];
            }

            logits[c] = sum;
        }

        var max = logits.Max();
        var total = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            logits[c] = Math.Exp(logits[c] - max);
            total += logits[c];
        }

        var probabilities = logits.Select(p => p / total).ToArray();
        var best = Array.IndexOf(probabilities, probabilities.Max());
        var all = new CueContribution[z.Length];
        for (var i = 0; i < z.Length; i++)
        {
            all[i] = new CueContribution(Features[i], allMeasures[_featureIndex[i]], _weights[best][i] * z[i]);
        }

        var cues = all
            .OrderByDescending(c => Math.Abs(c.Contribution))
            .Take(topCues)
            .ToArray();
        return new LinearPrediction(best, probabilities, cues);
    }
}
