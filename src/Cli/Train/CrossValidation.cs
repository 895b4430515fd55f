using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Speaker-grouped k-fold cross-validation: every speaker's clips (in every data set) fall in one fold, so a model is
/// always scored on voices it never heard. Each fold's model (linear by default, or whatever <c>fit</c> trains) is exported and run exactly as the analyzer runs it
/// (<see cref="LinearModel"/> and the estimator's or detector's decision rule), and scored per data set. With an
/// <see cref="EventThresholdCalibration"/>, each fold's event threshold is chosen by an inner cross-validation of that
/// fold's training speakers only, so the held-out figures include the calibration's own error.
/// </summary>
public static class CrossValidation
{
    /// <summary>Folds of the inner cross-validation that calibrates each outer fold's threshold.</summary>
    public const int InnerFolds = 3;

    /// <summary>
    /// Confusion matrices per data set (index of <c>--data</c>), over <paramref name="labels"/> in report order;
    /// <paramref name="heldOut"/>, when given, collects every held-out prediction (for <see cref="OperatingCurve"/>);
    /// <paramref name="decisions"/>, when given, every held-out row with the class its fold's model decided (for
    /// <see cref="SourceAlarms"/>).
    /// </summary>
    public static IReadOnlyList<ConfusionMatrix> Run(
        string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames, IReadOnlyList<string> labels, int sets, int folds,
        EventThresholdCalibration? calibration = null, Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument>? fit = null,
        ICollection<(FeatureRow Row, LinearPrediction Prediction, IReadOnlyList<string> Classes)>? heldOut = null,
        ICollection<(FeatureRow Row, string Predicted)>? decisions = null)
    {
        fit ??= (t, r, f) => SdcaTrainer.Fit(t, r, f);
        ArgumentNullException.ThrowIfNull(rows);
        var matrices = Enumerable.Range(0, sets).Select(_ => new ConfusionMatrix(labels)).ToArray();
        foreach (var (training, held) in Split(rows, folds, seed: 17))
        {
            var document = fit(task, training, featureNames);
            var model = LinearModel.FromDocument(document, "fold");
            // A trainer that already calibrated on its own inner folds (TreeSizeSelection) brings its threshold.
            var threshold = calibration is null ? (double?)null
                : document.MinEventProbability ?? calibration.Choose(OutOfFold(task, training, featureNames, InnerFolds, fit), model.Classes, labels);
            foreach (var row in held)
            {
                // A clip judged before its caller's baseline had heard anything goes to the first-turn model, as in a call.
                var judge = TrainedEmotionEstimator.For(model, row.TurnsHeard);
                var prediction = judge.Predict(row.Values);
                heldOut?.Add((row, prediction, model.Classes));
                var predicted = task == "emotion" ? TrainedEmotionEstimator.Decide(judge, prediction)
                    : threshold is { } t ? TrainedVocalEventDetector.Decide(model.Classes, prediction, t)
                    : TrainedVocalEventDetector.Decide(model, prediction);
                matrices[row.Set].Add(row.Label, predicted);
                decisions?.Add((row, predicted));
            }
        }

        return matrices;
    }

    /// <summary>Each row's prediction by the model of the fold that did not train on its speaker.</summary>
    public static IReadOnlyList<(FeatureRow Row, LinearPrediction Prediction)> OutOfFold(
        string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames, int folds,
        Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument>? fit = null)
    {
        fit ??= (t, r, f) => SdcaTrainer.Fit(t, r, f);
        ArgumentNullException.ThrowIfNull(rows);
        var predictions = new List<(FeatureRow, LinearPrediction)>();
        foreach (var (training, held) in Split(rows, folds, seed: 29))
        {
            var model = LinearModel.FromDocument(fit(task, training, featureNames), "fold");
            predictions.AddRange(held.Select(row => (row, model.Predict(row.Values, topCues: 0))));
        }

        return predictions;
    }

    /// <summary>
    /// Training and held-out rows of each fold (speakers shuffled with a fixed seed, then dealt round). Rows of other
    /// turn orders (<see cref="FeatureRow.TurnOrder"/> other than 0) only train: a clip is scored once, as eval would hear it.
    /// </summary>
    private static IEnumerable<(List<FeatureRow> Training, List<FeatureRow> Held)> Split(IReadOnlyList<FeatureRow> rows, int folds, int seed)
    {
        var speakers = rows.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(speakers);
        var foldOf = speakers.Select((s, i) => (s, i % folds)).ToDictionary(p => p.s, p => p.Item2);
        for (var fold = 0; fold < folds; fold++)
        {
            var training = rows.Where(r => foldOf[r.Speaker] != fold).ToList();
            var held = rows.Where(r => foldOf[r.Speaker] == fold && r.TurnOrder == 0).ToList();
            if (held.Count > 0 && training.Select(r => r.Label).Distinct().Count() >= 2)
            {
                yield return (training, held);
            }
        }
    }
}
