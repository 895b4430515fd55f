using System.Globalization;
using System.Text.Json;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>Prints an <see cref="EvalReport"/> as a text table or as JSON.</summary>
public static class EvalReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Per task: per-label precision/recall/F1/support, the confusion matrix, accuracy, macro averages and UAR.</summary>
    public static void WriteText(EvalReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Evaluation of {report.Folder}");
        foreach (var task in report.Tasks)
        {
            var m = task.Matrix;
            var width = Math.Max(12, m.Predicted.Max(p => p.Length) + 1);
            output.WriteLine();
            output.WriteLine($"Task {task.Name}: {m.Total} files");
            output.WriteLine($"{"label".PadRight(width)} {"precision",9} {"recall",9} {"f1",9} {"support",9}");
            for (var i = 0; i < m.Labels.Count; i++)
            {
                output.WriteLine($"{m.Labels[i].PadRight(width)} {F(m.Precision(i)),9} {F(m.Recall(i)),9} {F(m.F1(i)),9} {m.Support(i),9}");
            }

            output.WriteLine($"{"macro".PadRight(width)} {F(m.MacroPrecision),9} {F(m.MacroRecall),9} {F(m.MacroF1),9} {m.Total,9}");
            output.WriteLine($"accuracy {F(m.Accuracy)}  UAR {F(m.MacroRecall)}  chance UAR {F(m.ChanceUar)}");
            output.WriteLine("confusion (rows: true, columns: predicted)");
            output.WriteLine(string.Concat(m.Predicted.Select(p => p.PadLeft(width))).Insert(0, new string(' ', width)));
            for (var r = 0; r < m.Labels.Count; r++)
            {
                var row = m.Labels[r];
                output.WriteLine(row.PadRight(width) + string.Concat(Enumerable.Range(0, m.Predicted.Count)
                    .Select(c => m.Count(r, c).ToString(CultureInfo.InvariantCulture).PadLeft(width))));
            }
        }

        foreach (var label in report.Unscored ?? [])
        {
            output.WriteLine();
            output.WriteLine($"Not scored (no class '{label.Label}'): {label.Clips} files, predicted "
                + string.Join(", ", label.Predicted.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        }

        foreach (var note in report.Notes ?? [])
        {
            output.WriteLine($"note: {note}");
        }

        foreach (var problem in report.Unreadable)
        {
            output.WriteLine($"unreadable: {problem}");
        }
    }

    /// <summary>The same content as one JSON object.</summary>
    public static void WriteJson(EvalReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var document = new
        {
            folder = report.Folder,
            tasks = report.Tasks.Select(t => new
            {
                task = t.Name,
                files = t.Matrix.Total,
                accuracy = t.Matrix.Accuracy,
                macro_precision = t.Matrix.MacroPrecision,
                macro_recall = t.Matrix.MacroRecall,
                macro_f1 = t.Matrix.MacroF1,
                uar = t.Matrix.MacroRecall,
                chance_uar = t.Matrix.ChanceUar,
                labels = t.Matrix.Labels.Select((label, i) => new
                {
                    label,
                    precision = t.Matrix.Precision(i),
                    recall = t.Matrix.Recall(i),
                    f1 = t.Matrix.F1(i),
                    support = t.Matrix.Support(i),
                }),
                predicted = t.Matrix.Predicted,
                confusion = Enumerable.Range(0, t.Matrix.Labels.Count)
                    .Select(r => Enumerable.Range(0, t.Matrix.Predicted.Count).Select(c => t.Matrix.Count(r, c))),
            }),
            unscored = (report.Unscored ?? []).Select(u => new { label = u.Label, files = u.Clips, predicted = u.Predicted }),
            notes = report.Notes ?? [],
            unreadable = report.Unreadable,
        };
        output.WriteLine(JsonSerializer.Serialize(document, Indented));
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
