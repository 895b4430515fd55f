using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Drops training clips whose label is probably not the sound (EmoGator's labels are the emotion a contributor was asked
/// to express: a "relief" burst may be a laugh). Confident learning (Northcutt et al. 2021, "prune by class"): every
/// training clip is predicted by a model that never heard its speaker (inner speaker-grouped folds of the training rows
/// only); a class's confidence threshold is the mean probability of that class over the clips labelled with it; a clip
/// is a label issue when some other class reaches its own threshold and is that clip's most probable class among those
/// that do. Issues are removed from the training rows only: the held-out clips of a cross-validation keep their labels,
/// so the reported figures are on the labels as given. Clips of false-alarm sets (speech) are never dropped.
/// </summary>
public static class LabelCleaning
{
    /// <summary>Inner folds of the out-of-fold predictions.</summary>
    public const int Folds = 3;

    /// <summary>What the provenance says about it.</summary>
    public const string Description =
        "confident learning, prune by class: training clips whose inner speaker-grouped out-of-fold prediction confidently names another class are dropped before each fit (held-out clips keep their labels)";

    /// <summary>What the provenance says about <see cref="Lowest"/>.</summary>
    public static string LowestDescription(double fraction) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"label cleaning by rank: per class, the {fraction:P0} of training clips with the lowest inner speaker-grouped out-of-fold probability of their own label are dropped before each fit (held-out clips keep their labels)");

    /// <summary>
    /// A trainer that cleans its training rows with <paramref name="fit"/>'s own out-of-fold predictions, then fits on
    /// the rest: by <see cref="Clean"/>, or with <paramref name="lowestFraction"/> by <see cref="Lowest"/>.
    /// </summary>
    public static Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> Around(
        Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> fit, TextWriter? log = null, double? lowestFraction = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return (task, rows, names) =>
        {
            // Both trainers order their classes by ordinal label (ML.NET's key ordinality by value; TreeTrainer's sort).
            var classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
            var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var outOfFold = CrossValidation.OutOfFold(task, rows, names, Folds, fit);
            var kept = lowestFraction is { } fraction ? Lowest(outOfFold, classes, fraction, removed) : Clean(outOfFold, classes, removed);
            log?.WriteLine($"label cleaning: kept {kept.Count} of {rows.Count} training clips; dropped (label → class heard): "
                + (removed.Count == 0 ? "none" : string.Join(", ", removed.Select(p => $"{p.Key} {p.Value}"))));
            return fit(task, kept, names);
        };
    }

    /// <summary>The rows of <paramref name="predictions"/> that are not label issues.</summary>
    /// <param name="predictions">Out-of-fold predictions with their rows.</param>
    /// <param name="classes">Class names in prediction order.</param>
    /// <param name="removed">When given, counts the dropped clips by "label → class heard".</param>
    public static IReadOnlyList<FeatureRow> Clean(
        IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> predictions, IReadOnlyList<string> classes, IDictionary<string, int>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(classes);
        var speechSets = SpeechSets(predictions);
        var thresholds = new double[classes.Count];
        for (var c = 0; c < classes.Count; c++)
        {
            var own = predictions.Where(p => p.Row.Label == classes[c] && p.Prediction.Probabilities.Count == classes.Count).Select(p => p.Prediction.Probabilities[c]).ToList();
            thresholds[c] = own.Count > 0 ? own.Average() : double.PositiveInfinity;
        }

        var kept = new List<FeatureRow>(predictions.Count);
        foreach (var (row, prediction) in predictions)
        {
            var given = IndexOf(classes, row.Label);
            var confident = -1;
            for (var c = 0; c < classes.Count && prediction.Probabilities.Count == classes.Count; c++)
            {
                if (prediction.Probabilities[c] >= thresholds[c] && (confident < 0 || prediction.Probabilities[c] > prediction.Probabilities[confident]))
                {
                    confident = c;
                }
            }

            if (prediction.Probabilities.Count != classes.Count || speechSets.Contains(row.Set) || given < 0 || confident < 0 || confident == given)
            {
                kept.Add(row);
            }
            else
            {
                CountRemoved(removed, row.Label, classes[confident]);
            }
        }

        return kept;
    }

    /// <summary>
    /// The rows of <paramref name="predictions"/> less, per class, the <paramref name="fraction"/> (rounded down) whose
    /// probability of their own label is lowest; speech sets (as in <see cref="Clean"/>) are never dropped.
    /// </summary>
    /// <param name="predictions">Out-of-fold predictions with their rows.</param>
    /// <param name="classes">Class names in prediction order.</param>
    /// <param name="fraction">Share of each class's clips to drop, in [0, 1).</param>
    /// <param name="removed">When given, counts the dropped clips by "label → class heard" (the clip's most probable class).</param>
    public static IReadOnlyList<FeatureRow> Lowest(
        IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> predictions, IReadOnlyList<string> classes, double fraction, IDictionary<string, int>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(classes);
        if (!(fraction is >= 0 and < 1))
        {
            throw new InvalidOperationException("the share of clips to drop must be in [0, 1).");
        }

        var speechSets = SpeechSets(predictions);
        var dropped = new HashSet<FeatureRow>(ReferenceEqualityComparer.Instance);
        foreach (var label in predictions.Where(p => !speechSets.Contains(p.Row.Set)).GroupBy(p => p.Row.Label))
        {
            var own = IndexOf(classes, label.Key);
            var candidates = label.ToList();
            var count = (int)Math.Floor(fraction * candidates.Count);
            // Ties broken by speaker and set, so the same clips go whatever order the folds produced.
            foreach (var (row, prediction) in candidates
                .OrderBy(p => own >= 0 && p.Prediction.Probabilities.Count == classes.Count ? p.Prediction.Probabilities[own] : 0)
                .ThenBy(p => p.Row.Speaker, StringComparer.Ordinal).ThenBy(p => p.Row.Set).Take(count))
            {
                dropped.Add(row);
                if (prediction.Best < classes.Count)
                {
                    CountRemoved(removed, row.Label, classes[prediction.Best]);
                }
            }
        }

        return [.. predictions.Select(p => p.Row).Where(r => !dropped.Contains(r))];
    }

    /// <summary>Sets made of speech only (every clip labelled none): their clips are never dropped.</summary>
    private static HashSet<int> SpeechSets(IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> predictions) =>
        predictions.GroupBy(p => p.Row.Set).Where(s => s.All(p => p.Row.Label == "none")).Select(s => s.Key).ToHashSet();

    /// <summary>Counts a dropped clip by "label → class heard", when the caller asked for the counts.</summary>
    private static void CountRemoved(IDictionary<string, int>? removed, string label, string heard)
    {
        if (removed is not null)
        {
            var key = $"{label} → {heard}";
            removed[key] = removed.TryGetValue(key, out var n) ? n + 1 : 1;
        }
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (var c = 0; c < classes.Count; c++)
        {
            if (classes[c] == label)
            {
                return c;
            }
        }

        return -1;
    }
}
