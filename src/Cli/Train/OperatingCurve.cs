using System.Globalization;
using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// The vocal-event trade-off behind the choice of operating point: for each event threshold, the target UAR (mean
/// recall of sigh, laugh, crying and gasp in the five-way decision) and the share of non-target bursts raising an event
/// per data set, and the share of speech raising one. Read from the held-out predictions of the outer cross-validation
/// (each clip judged by the fold model that never heard its speaker), so one run gives the whole curve; the calibrated
/// threshold of the printed tables is one point of it, chosen per fold on training speakers only.
/// </summary>
public static class OperatingCurve
{
    /// <summary>Thresholds printed (the calibration searches the same range in steps of 0.01).</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [.. Enumerable.Range(0, 12).Select(i => Math.Round(EventThresholdCalibration.Lowest + (0.05 * i), 2))];

    /// <summary>One row per threshold: per event set its target UAR and non-target alarm share, per speech set its alarm share.</summary>
    /// <param name="heldOut">Held-out predictions with the classes of the model that made each.</param>
    /// <param name="setNames">Display name per data set index.</param>
    /// <param name="labels">Report labels.</param>
    /// <param name="output">Where the table goes.</param>
    public static void Write(
        IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction, IReadOnlyList<string> Classes)> heldOut, IReadOnlyList<string> setNames,
        IReadOnlyList<string> labels, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(setNames);
        ArgumentNullException.ThrowIfNull(output);
        var sets = heldOut.GroupBy(p => p.Row.Set).OrderBy(g => g.Key).ToList();
        var speechSets = sets.Where(s => s.All(p => p.Row.Label == "none")).ToList();
        var eventSets = sets.Except(speechSets).ToList();
        output.WriteLine("operating curve (held-out predictions of the outer folds): threshold | "
            + string.Join(" | ", eventSets.Select(s => $"{setNames[s.Key]}: target UAR, non-target alarms"))
            + (speechSets.Count > 0 ? " | " + string.Join(" | ", speechSets.Select(s => $"{setNames[s.Key]}: alarms")) : ""));
        foreach (var threshold in Thresholds)
        {
            var cells = new List<string>();
            foreach (var set in eventSets)
            {
                var matrix = new ConfusionMatrix(labels);
                foreach (var (row, prediction, classes) in set)
                {
                    matrix.Add(row.Label, TrainedVocalEventDetector.Decide(classes, prediction, threshold));
                }

                cells.Add(string.Create(CultureInfo.InvariantCulture, $"{ModelTraining.TargetUar(matrix) ?? 0:F3}, {AlarmShare(set, threshold):P1}"));
            }

            cells.AddRange(speechSets.Select(s => AlarmShare(s, threshold).ToString("P1", CultureInfo.InvariantCulture)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {threshold:F2} | {string.Join(" | ", cells)}"));
        }
    }

    private static double AlarmShare(IEnumerable<(FeatureRow Row, LinearPrediction Prediction, IReadOnlyList<string> Classes)> set, double threshold)
    {
        var none = set.Where(p => p.Row.Label == "none").ToList();
        return none.Count == 0 ? 0 : none.Count(p => TrainedVocalEventDetector.Decide(p.Classes, p.Prediction, threshold) != "none") / (double)none.Count;
    }
}
