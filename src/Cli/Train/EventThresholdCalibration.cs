using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Chooses the probability a vocal-event class needs before it is reported. A data set whose clips are all
/// <c>none</c> (speech) is a false-alarm set; the <c>none</c> clips of the other data sets are non-target sounds
/// (vocal bursts that are none of the events). The threshold is the one, among 0.40, 0.41, … 0.99, with the best mean
/// UAR over the other data sets among those where every false-alarm set raises an event on at most
/// <see cref="MaxFalseAlarms"/> of its clips and, when <see cref="MaxNonTargetAlarms"/> is given, every data set's
/// non-target clips raise one on at most that share. It is chosen on out-of-fold predictions only (models that never
/// heard the speakers they judge), so the rates it promises are ones measured on unseen voices.
/// </summary>
/// <param name="MaxFalseAlarms">Largest share of a false-alarm set's clips that may raise an event.</param>
/// <param name="MaxNonTargetAlarms">Largest share of a data set's non-target (<c>none</c>) clips that may raise an event; <see langword="null"/>: no bound.</param>
public sealed record EventThresholdCalibration(double MaxFalseAlarms, double? MaxNonTargetAlarms = null)
{
    /// <summary>Lowest threshold considered: below it a five-way decision is little more than a guess.</summary>
    public const double Lowest = 0.40;

    /// <summary>The threshold for <paramref name="predictions"/>, or <see langword="null"/> when no threshold meets the bound.</summary>
    /// <param name="predictions">Out-of-fold predictions with their rows.</param>
    /// <param name="classes">Class names in prediction order.</param>
    /// <param name="labels">Report labels (for UAR).</param>
    public double? Choose(IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> predictions, IReadOnlyList<string> classes, IReadOnlyList<string> labels) =>
        Best(predictions, classes, labels)?.Threshold;

    /// <summary>The threshold <see cref="Choose"/> picks and the mean UAR over the event sets there (<see langword="null"/>: none meets the bounds).</summary>
    /// <param name="predictions">Out-of-fold predictions with their rows.</param>
    /// <param name="classes">Class names in prediction order.</param>
    /// <param name="labels">Report labels (for UAR).</param>
    public (double Threshold, double Uar)? Best(IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> predictions, IReadOnlyList<string> classes, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var sets = predictions.GroupBy(p => p.Row.Set).ToList();
        var falseAlarmSets = sets.Where(s => s.All(p => p.Row.Label == "none")).ToList();
        var eventSets = sets.Except(falseAlarmSets).ToList();
        double? best = null;
        var bestUar = double.NegativeInfinity;
        for (var step = 0; Lowest + (step * 0.01) < 0.995; step++)
        {
            var threshold = Math.Round(Lowest + (step * 0.01), 2);
            var worstFalseAlarms = falseAlarmSets.Count == 0 ? 0
                : falseAlarmSets.Max(s => s.Count(p => TrainedVocalEventDetector.Decide(classes, p.Prediction, threshold) != "none") / (double)s.Count());
            if (worstFalseAlarms > MaxFalseAlarms || (MaxNonTargetAlarms is { } bound && WorstNonTargetAlarms(eventSets, classes, threshold) > bound))
            {
                continue;
            }

            var uar = eventSets.Count == 0 ? 0 : eventSets.Average(s =>
            {
                var matrix = new ConfusionMatrix(labels);
                foreach (var (row, prediction) in s)
                {
                    matrix.Add(row.Label, TrainedVocalEventDetector.Decide(classes, prediction, threshold));
                }

                return matrix.MacroRecall;
            });
            if (uar > bestUar + 1e-9)
            {
                best = threshold;
                bestUar = uar;
            }
        }

        return best is { } chosen ? (chosen, bestUar) : null;
    }

    /// <summary>The largest share, over <paramref name="eventSets"/>, of <c>none</c> clips that raise an event at <paramref name="threshold"/>.</summary>
    private static double WorstNonTargetAlarms(
        IEnumerable<IGrouping<int, (FeatureRow Row, LinearPrediction Prediction)>> eventSets, IReadOnlyList<string> classes, double threshold)
    {
        var worst = 0.0;
        foreach (var set in eventSets)
        {
            var none = set.Where(p => p.Row.Label == "none").ToList();
            if (none.Count > 0)
            {
                worst = Math.Max(worst, none.Count(p => TrainedVocalEventDetector.Decide(classes, p.Prediction, threshold) != "none") / (double)none.Count);
            }
        }

        return worst;
    }
}
