namespace StepAudio.Telephony.Cli.Eval;

/// <summary>
/// Counts of (true label, predicted label) over an evaluation task, and the metrics derived from them. Rows are the
/// task's true labels; columns are the same labels followed by any other prediction seen (e.g. <c>ambiguous</c>),
/// which count against recall and are never correct.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly List<string> _labels;
    private readonly List<string> _predicted;
    private readonly Dictionary<(int, int), int> _counts = [];

    /// <summary>Creates an empty matrix over <paramref name="labels"/> (the true classes, in report order).</summary>
    public ConfusionMatrix(IEnumerable<string> labels)
    {
        _labels = [.. labels];
        _predicted = [.. _labels];
    }

    /// <summary>The true classes (rows).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The predicted classes (columns): <see cref="Labels"/> then extra predictions in order of first sight.</summary>
    public IReadOnlyList<string> Predicted => _predicted;

    /// <summary>Number of items counted.</summary>
    public int Total { get; private set; }

    /// <summary>Counts one item.</summary>
    /// <exception cref="ArgumentException"><paramref name="truth"/> is not one of <see cref="Labels"/>.</exception>
    public void Add(string truth, string predicted)
    {
        var row = _labels.IndexOf(truth);
        if (row < 0)
        {
            throw new ArgumentException($"'{truth}' is not a label of this task.", nameof(truth));
        }

        var column = _predicted.IndexOf(predicted);
        if (column < 0)
        {
            _predicted.Add(predicted);
            column = _predicted.Count - 1;
        }

        _counts[(row, column)] = Count(row, column) + 1;
        Total++;
    }

    /// <summary>Items of true class <paramref name="row"/> predicted as column <paramref name="column"/>.</summary>
    public int Count(int row, int column) => _counts.GetValueOrDefault((row, column));

    /// <summary>Items whose true class is <paramref name="label"/>.</summary>
    public int Support(int label) => Enumerable.Range(0, _predicted.Count).Sum(c => Count(label, c));

    /// <summary>Items predicted as true class <paramref name="label"/>.</summary>
    public int PredictedCount(int label) => Enumerable.Range(0, _labels.Count).Sum(r => Count(r, label));

    /// <summary>Correct share of <paramref name="label"/>'s predictions; 0 when it was never predicted.</summary>
    public double Precision(int label) => Ratio(Count(label, label), PredictedCount(label));

    /// <summary>Share of <paramref name="label"/>'s items found; 0 without support.</summary>
    public double Recall(int label) => Ratio(Count(label, label), Support(label));

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public double F1(int label)
    {
        var p = Precision(label);
        var r = Recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Correct share of all items.</summary>
    public double Accuracy => Ratio(Enumerable.Range(0, _labels.Count).Sum(i => Count(i, i)), Total);

    /// <summary>Mean precision over labels with support.</summary>
    public double MacroPrecision => MacroMean(Precision);

    /// <summary>Mean recall over labels with support: the unweighted average recall (UAR).</summary>
    public double MacroRecall => MacroMean(Recall);

    /// <summary>Mean F1 over labels with support.</summary>
    public double MacroF1 => MacroMean(F1);

    /// <summary>Chance level of UAR for this task: 1 / number of labels with support.</summary>
    public double ChanceUar => Ratio(1, SupportedLabels().Count());

    private IEnumerable<int> SupportedLabels() => Enumerable.Range(0, _labels.Count).Where(i => Support(i) > 0);

    private double MacroMean(Func<int, double> metric)
    {
        var supported = SupportedLabels().ToList();
        return supported.Count == 0 ? 0 : supported.Average(metric);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
