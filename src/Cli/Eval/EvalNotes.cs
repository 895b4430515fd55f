using System.Globalization;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>
/// What a reader of an <c>eval</c> report must know that the tables do not say: a trained vocal-event model only
/// reports the classes it was trained on (the shipped one has no throat clear: no licensed recordings of throat clears
/// were found; its cough class is trained on Coswara's coughs), so clips of those labels can only count as missed. The
/// note names them and gives the UAR over the labels the model can report beside the full one.
/// </summary>
public static class EvalNotes
{
    /// <summary>The notes for <paramref name="report"/> under <paramref name="options"/>.</summary>
    public static IReadOnlyList<string> For(EvalReport report, ParalinguisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var events = report.Tasks.FirstOrDefault(t => t.Name == "vocal_event")?.Matrix;
        // An ONNX model in the slot may report any class through its label map: nothing to say for sure.
        if (events is null || options.Model.Enabled
            || TrainedModels.Resolve(options.VocalEventModel, TrainedModels.BuiltinVocalEvents) is not { } model)
        {
            return [];
        }

        var present = events.Labels.Select((label, i) => (label, i)).Where(p => events.Support(p.i) > 0).ToList();
        var missing = present.Where(p => !model.Classes.Contains(p.label)).ToList();
        var reportable = present.Where(p => model.Classes.Contains(p.label)).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var source = string.Equals(options.VocalEventModel, ParalinguisticsOptions.BuiltinModel, StringComparison.OrdinalIgnoreCase)
            ? "the shipped vocal-event model" : $"the vocal-event model {Path.GetFileName(options.VocalEventModel)}";
        var notes = new List<string>
        {
            $"{source} has no {string.Join(" or ", missing.Select(p => $"'{p.label}'"))} class (classes: {string.Join(", ", model.Classes)}), "
                + $"so those {missing.Sum(p => events.Support(p.i))} files count as missed in the UAR above; "
                + (missing.Any(p => p.label == "throat_clear") ? "no licensed recordings of throat clears were found to train on; " : "")
                + $"the hand-written rules (Paralinguistics:VocalEventModel = {ParalinguisticsOptions.RulesModel}) detect them.",
        };
        if (reportable.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"UAR over the {reportable.Count} labels it can report ({string.Join(", ", reportable.Select(p => p.label))}): {reportable.Average(p => events.Recall(p.i)):0.000}"));
        }

        return notes;
    }
}
