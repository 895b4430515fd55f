using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Speaker-grouped k-fold cross-validation: every speaker's clips (in every data set) fall in one fold, so a model is
/// always scored on voices it never heard. Each fold's model is exported and run exactly as the analyzer runs it
/// (<see cref="LinearModel"/> and the estimator's or detector's decision rule), and scored per data set.
/// </summary>
public static class CrossValidation
{
    /// <summary>Confusion matrices per data set (index of <c>--data</c>), over <paramref name="labels"/> in report order.</summary>
    public static IReadOnlyList<ConfusionMatrix> Run(
        string task, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> featureNames, IReadOnlyList<string> labels, int sets, int folds)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var speakers = rows.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(17).Shuffle(speakers);
        var foldOf = speakers.Select((s, i) => (s, i % folds)).ToDictionary(p => p.s, p => p.Item2);
        var matrices = Enumerable.Range(0, sets).Select(_ => new ConfusionMatrix(labels)).ToArray();
        for (var fold = 0; fold < folds; fold++)
        {
            var training = rows.Where(r => foldOf[r.Speaker] != fold).ToList();
            var held = rows.Where(r => foldOf[r.Speaker] == fold).ToList();
            if (held.Count == 0 || training.Select(r => r.Label).Distinct().Count() < 2)
            {
                continue;
            }

            var model = LinearModel.FromDocument(SdcaTrainer.Fit(task, training, featureNames), $"fold {fold}");
            foreach (var row in held)
            {
                var prediction = model.Predict(row.Values);
                var predicted = task == "emotion" ? TrainedEmotionEstimator.Decide(model, prediction) : TrainedVocalEventDetector.Decide(model, prediction);
                matrices[row.Set].Add(row.Label, predicted);
            }
        }

        return matrices;
    }
}
