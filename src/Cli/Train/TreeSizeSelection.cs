using System.Globalization;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Picks the boosted trees' size by an inner speaker-grouped cross-validation of the training rows only, so that when
/// an outer cross-validation calls it each fold chooses its own size without seeing its held-out speakers (nested CV).
/// Every candidate is scored as the shipped model is used: its inner out-of-fold predictions calibrate the event
/// threshold under the same bounds (<see cref="EventThresholdCalibration"/>), and the candidate with the best UAR at
/// that threshold wins (the smaller, earlier candidate on a tie). The winner is fitted on all the training rows and
/// carries the threshold its inner predictions chose, so the caller need not calibrate again.
/// </summary>
public static class TreeSizeSelection
{
    /// <summary>Inner folds over the training speakers.</summary>
    public const int Folds = 3;

    /// <summary>
    /// Parses <c>TREESxLEAVES@RATE</c> (e.g. <c>50x8@0.2</c>); the fewest clips a leaf takes <paramref name="minLeafClips"/>,
    /// the trees are grown by <paramref name="booster"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not in that form, or a size the booster cannot train.</exception>
    public static TreeSettings Parse(string text, int minLeafClips, TreeBooster booster = TreeBooster.FastTree)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.Split('@');
        var sizes = at[0].Split('x');
        return at.Length == 2 && sizes.Length == 2
            && int.TryParse(sizes[0], NumberStyles.None, CultureInfo.InvariantCulture, out var trees)
            && int.TryParse(sizes[1], NumberStyles.None, CultureInfo.InvariantCulture, out var leaves)
            && double.TryParse(at[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate)
            ? new TreeSettings(trees, leaves, minLeafClips, rate, booster).Validated()
            : throw new InvalidOperationException($"tree size '{text}' is not TREESxLEAVES@RATE (e.g. 50x8@0.2).");
    }

    /// <summary>A trainer that chooses among <paramref name="candidates"/> on its own training rows, then fits the winner.</summary>
    /// <param name="candidates">Tree sizes to try (at least one).</param>
    /// <param name="calibration">The event-threshold bounds each candidate is scored under.</param>
    /// <param name="labels">Report labels (for UAR).</param>
    /// <param name="log">Where each choice is reported (optional).</param>
    public static Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> Around(
        IReadOnlyList<TreeSettings> candidates, EventThresholdCalibration calibration, IReadOnlyList<string> labels, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(labels);
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException("tree size selection needs at least one candidate.");
        }

        return (task, rows, names) =>
        {
            // TreeTrainer orders its classes by ordinal label.
            var classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
            TreeSettings? best = null;
            double bestThreshold = 0, bestUar = double.NegativeInfinity;
            var scores = new List<string>();
            foreach (var candidate in candidates)
            {
                var outOfFold = CrossValidation.OutOfFold(task, rows, names, Folds, TreeTrainer.With(candidate));
                var choice = calibration.Best(outOfFold, classes, labels);
                scores.Add(Name(candidate) + (choice is { } c ? string.Create(CultureInfo.InvariantCulture, $" UAR {c.Uar:F3} at {c.Threshold:F2}") : " no threshold meets the bounds"));
                if (choice is { } chosen && chosen.Uar > bestUar + 1e-9)
                {
                    (best, bestThreshold, bestUar) = (candidate, chosen.Threshold, chosen.Uar);
                }
            }

            if (best is null)
            {
                throw new InvalidDataException($"no tree size keeps the alarms within the bounds ({string.Join("; ", scores)}).");
            }

            log?.WriteLine($"tree size by inner {Folds}-fold CV of {rows.Select(r => r.Speaker).Distinct().Count()} speakers: {Name(best)} ({string.Join("; ", scores)})");
            var document = TreeTrainer.With(best)(task, rows, names);
            document.MinEventProbability = bestThreshold;
            document.Provenance["tree_size"] = string.Create(CultureInfo.InvariantCulture,
                $"{best.Description}; chosen among {string.Join(", ", candidates.Select(Name))} by inner {Folds}-fold speaker-grouped CV ({string.Join("; ", scores)})");
            return document;
        };
    }

    /// <summary><c>TREESxLEAVES@RATE</c>.</summary>
    public static string Name(TreeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Create(CultureInfo.InvariantCulture, $"{settings.Trees}x{settings.Leaves}@{settings.LearningRate}");
    }
}
