using System.Globalization;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Cli.Eval;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>One training run: measure, cross-validate (printed as eval-style tables), fit on everything.</summary>
/// <param name="task"><c>emotion</c> or <c>vocal_event</c>.</param>
/// <param name="output">Where the cross-validation tables go.</param>
/// <param name="cut">How a call would cut each clip (<see cref="CallCut"/>): train measures what eval and a call measure.</param>
/// <param name="trees">Fit <see cref="TreeTrainer"/>'s boosted trees of these sizes instead of the linear model (<see langword="null"/>).</param>
/// <param name="cache">Where measured rows are kept between runs (<see langword="null"/>: measure every time).</param>
/// <param name="cleanLabels">Drop training clips whose label is probably not the sound (<see cref="LabelCleaning"/>).</param>
/// <param name="excludedMeasures">Measures left out: a name, or a prefix ending in <c>*</c> (ablations: which measures earn their place).</param>
/// <param name="treeSizes">Tree sizes to choose among by nested speaker-grouped CV (<see cref="TreeSizeSelection"/>; vocal events with calibration), instead of <paramref name="trees"/>.</param>
/// <param name="cleanFraction">Drop, per class, this share of training clips with the lowest out-of-fold probability of their own label (<see cref="LabelCleaning.Lowest"/>).</param>
/// <param name="l2">The linear model's L2 penalty (larger: smaller weights, a model that leans less on any one corpus's quirks).</param>
/// <param name="turnOrders">Emotion: also train on each clip measured in this many other turn orders (<see cref="TurnOrders"/>); held-out scores stay in file-name order.</param>
/// <param name="firstTurnModel">
/// Emotion: also fit the model for a caller not heard yet (<see cref="LinearModelDocument.FirstTurn"/>) on every clip
/// judged against the population's norms; cross-validation then scores each held-out clip the baseline had not heard
/// anything before with it, as a call and <c>eval</c> do.
/// </param>
public sealed class ModelTraining(string task, TextWriter output, CallCut cut, TreeSettings? trees = null, FeatureCache? cache = null, bool cleanLabels = false, IReadOnlyCollection<string>? excludedMeasures = null, IReadOnlyList<TreeSettings>? treeSizes = null, double? cleanFraction = null, float l2 = SdcaTrainer.DefaultL2, int turnOrders = 0, bool firstTurnModel = false)
{
    /// <summary>The vocal events the issue's accuracy aim is about (UAR over these, besides the full table).</summary>
    public static IReadOnlyList<string> TargetEvents { get; } = ["sigh", "laugh", "crying", "gasp"];

    /// <summary>
    /// The events trained from sound-labelled recordings beside <see cref="TargetEvents"/> (cough: Coswara); a second
    /// target UAR with them is printed, so the first stays comparable with models trained before them.
    /// </summary>
    public static IReadOnlyList<string> MoreEvents { get; } = ["cough"];

    /// <summary>
    /// Measures each task reads. Emotion: no duration (a turn's length is the VAD's, not the caller's) and no absolute
    /// pitch or level (they measure the voice and the line; the caller-relative versions carry the change). Vocal
    /// events: the span's own shape, no caller-relative measures (a sound is not compared with the caller's speech).
    /// Trees never read duration: every speech clip of the false-alarm sets is 2.0 s long (EmoDB), a split on it
    /// would learn the data sets rather than the sounds. The envelope and voicing measures (<see cref="ModelFeatures.EnvelopeNames"/>)
    /// and the mel cepstrum (<see cref="ModelFeatures.MelCepstrumNames"/>)
    /// were added for vocal events; emotion keeps the measures its shipped model was chosen on.
    /// </summary>
    public static IReadOnlyList<string> FeaturesFor(string task, bool trees = false) => task == "emotion"
        ? [.. ModelFeatures.Names.Where(n => n is not ("duration_s" or "pitch_st_re_100hz") && !ModelFeatures.EnvelopeNames.Contains(n) && !ModelFeatures.DynamicsNames.Contains(n) && !ModelFeatures.MelCepstrumNames.Contains(n))]
        : [.. ModelFeatures.Names.Where(n => !n.Contains("_re_caller", StringComparison.Ordinal) && !(trees && n == "duration_s"))];

    /// <summary>Runs on <paramref name="folders"/> with <paramref name="folds"/>-fold speaker-grouped cross-validation (0: none).</summary>
    /// <param name="folders">Labelled folders; one holding only <c>none</c> clips is a false-alarm set (speech).</param>
    /// <param name="folds">Cross-validation folds.</param>
    /// <param name="excludedSpeakers">Speakers left out entirely.</param>
    /// <param name="maxFalseAlarms">
    /// Vocal events: calibrate the event threshold so at most this share of each false-alarm set raises an event
    /// (<see cref="EventThresholdCalibration"/>); <see langword="null"/>: the detector's default threshold.
    /// </param>
    /// <param name="maxNonTargetAlarms">With <paramref name="maxFalseAlarms"/>: also at most this share of non-target (<c>none</c>) bursts.</param>
    public LinearModelDocument Run(IReadOnlyList<string> folders, int folds, IReadOnlyCollection<string> excludedSpeakers, double? maxFalseAlarms = null, double? maxNonTargetAlarms = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(excludedSpeakers);
        var allowed = task == "emotion" ? EvalLabels.Emotions : EvalLabels.VocalEvents;
        var unreadable = new List<string>();
        var rows = new List<FeatureRow>();
        for (var set = 0; set < folders.Count; set++)
        {
            // Excluded speakers are dropped after measuring: a speaker's rows depend only on that speaker's clips
            // (the caller's baseline), so the folder's cache serves every choice of exclusions.
            var clips = LabelledFolder.Read(folders[set], [.. allowed]);
            var baseline = task == "emotion";
            var orders = baseline ? turnOrders : 0;
            var unheard = baseline && firstTurnModel;
            var measured = cache?.TryLoad(folders[set], clips, set, baseline, orders, unheard);
            if (measured is null)
            {
                measured = FeatureTable.Measure(clips, set, baseline, unreadable, cut, orders, unheard);
                cache?.Save(folders[set], clips, baseline, measured, orders, unheard);
            }

            rows.AddRange(measured.Where(r => !excludedSpeakers.Contains(r.Speaker)));
        }

        var labels = allowed.Where(l => rows.Any(r => r.Label == l)).ToList();
        if (labels.Count < 2)
        {
            throw new InvalidDataException($"{task} needs at least two labels with clips; found {string.Join(", ", labels)}.");
        }

        var features = FeaturesFor(task, trees is not null || treeSizes is { Count: > 0 }).Where(n => !IsExcluded(n, excludedMeasures ?? [])).ToList();
        if (features.Count == 0)
        {
            throw new InvalidOperationException("--exclude-measure left no measure to train on.");
        }
        Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> fit = trees is not null ? TreeTrainer.With(trees) : (t, r, f) => SdcaTrainer.Fit(t, r, f, l2);
        var calibration = task == "vocal_event" && maxFalseAlarms is { } bound ? new EventThresholdCalibration(bound, maxNonTargetAlarms) : null;
        if (treeSizes is { Count: > 0 })
        {
            fit = TreeSizeSelection.Around(treeSizes, calibration
                ?? throw new InvalidOperationException("--tree-sizes needs --task vocal_event and --max-false-alarms (each size is scored at its calibrated threshold)."), labels, output);
        }

        if (cleanLabels || cleanFraction is not null)
        {
            fit = LabelCleaning.Around(fit, output, cleanFraction);
        }

        if (task == "emotion" && firstTurnModel)
        {
            fit = WithFirstTurn(fit);
        }

        var document = fit(task, rows, features);
        if (calibration is not null && document.MinEventProbability is { } selected)
        {
            document.Provenance["event_threshold"] = string.Create(CultureInfo.InvariantCulture,
                $"{selected:F2}: best out-of-fold UAR of the chosen tree size's inner folds with at most {calibration.MaxFalseAlarms:P1} of each speech set raising an event{NonTargetClause(calibration)}");
        }
        else if (calibration is not null)
        {
            var outOfFold = CrossValidation.OutOfFold(task, rows, features, Math.Max(2, Math.Min(folds > 0 ? folds : 5, rows.Select(r => r.Speaker).Distinct().Count())), fit);
            document.MinEventProbability = calibration.Choose(outOfFold, document.Classes.ToList(), labels)
                ?? throw new InvalidDataException($"no event threshold keeps false alarms on speech at or under {calibration.MaxFalseAlarms:P1}{NonTargetClause(calibration)}.");
            document.Provenance["event_threshold"] = string.Create(CultureInfo.InvariantCulture,
                $"{document.MinEventProbability:F2}: best out-of-fold UAR with at most {calibration.MaxFalseAlarms:P1} of each speech set raising an event{NonTargetClause(calibration)}");
        }

        var speakers = rows.Select(r => r.Speaker).Distinct().Count();
        var clipCount = rows.Count(r => r.TurnOrder == 0);
        document.Provenance["data"] = folders.Select((f, i) => $"{f} ({rows.Count(r => r.Set == i && r.TurnOrder == 0)} clips)").ToList();
        if (document.FirstTurn is { } firstTurn)
        {
            firstTurn.Provenance["data"] = $"every clip of the data above judged against the population's norms, as a caller not heard yet ({rows.Count(r => r.TurnOrder == TurnOrders.Unheard)} clips)";
            document.Provenance["first_turn"] = "first_turn judges a turn whose caller has not been heard yet; this model every later turn";
        }

        if (rows.Any(r => r.TurnOrder > 0))
        {
            document.Provenance["turn_orders"] = $"each speaker's clips also measured in {turnOrders} other orders (shuffled, in blocks by label, with no baseline), training rows only";
        }

        document.Provenance["speakers"] = speakers;
        document.Provenance["excluded_speakers"] = excludedSpeakers.Order(StringComparer.Ordinal).ToList();
        var trainerName = treeSizes is { Count: > 0 }
            ? $"{treeSizes[0].Scheme}, size chosen by nested speaker-grouped CV (tree_size), Platt-calibrated, class-balanced weights, raw measures"
            : trees?.Description ?? $"ML.NET SdcaMaximumEntropy, L2 {l2.ToString(CultureInfo.InvariantCulture)}, class-balanced weights, standardised measures clamped to ±5 SD";
        document.Provenance["trainer"] = trainerName + (cleanFraction is { } share ? "; " + LabelCleaning.LowestDescription(share) : cleanLabels ? "; " + LabelCleaning.Description : "");
        if (folds > 0)
        {
            var heldOut = new List<(FeatureRow Row, LinearPrediction Prediction, IReadOnlyList<string> Classes)>();
            var decisions = new List<(FeatureRow Row, string Predicted)>();
            var matrices = CrossValidation.Run(task, rows, features, labels, folders.Count, Math.Min(folds, speakers), calibration, fit, heldOut, decisions);
            var report = new EvalReport(
                $"{folds}-fold speaker-grouped cross-validation, {clipCount} clips, {speakers} speakers",
                [.. matrices.Select((m, i) => new EvalTask($"{task} ({SetName(folders[i])})", m)).Where(t => t.Matrix.Total > 0)],
                unreadable);
            EvalReportWriter.WriteText(report, output);
            WriteFalseAlarms(report, output);
            if (task == "vocal_event")
            {
                SourceAlarms.Write(decisions, [.. folders.Select(SetName)], output);
                OperatingCurve.Write(heldOut, [.. folders.Select(SetName)], labels, output);
            }
            document.Provenance["cross_validation"] = matrices.Select((m, i) => new Dictionary<string, object?>
            {
                ["target_uar"] = TargetUar(m) is { } t ? Math.Round(t, 3) : null,
                ["data"] = folders[i],
                ["uar"] = Math.Round(m.MacroRecall, 3),
                ["recall"] = m.Labels.Select((l, j) => (l, j)).ToDictionary(p => p.l, p => Math.Round(m.Recall(p.j), 3)),
                ["precision"] = m.Labels.Select((l, j) => (l, j)).ToDictionary(p => p.l, p => Math.Round(m.Precision(p.j), 3)),
            }).ToList();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {task} on {clipCount} clips of {speakers} speakers, {features.Count} measures")
            + (clipCount < rows.Count ? string.Create(CultureInfo.InvariantCulture, $" ({rows.Count} rows with the copies judged in other orders or as unheard)") : ""));
        return document;
    }

    /// <summary>
    /// Fits with <paramref name="fit"/> the model for heard callers on the rows measured against their baseline (every
    /// turn order), and its <see cref="LinearModelDocument.FirstTurn"/> on the rows judged as unheard.
    /// </summary>
    private static Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> WithFirstTurn(
        Func<string, IReadOnlyList<FeatureRow>, IReadOnlyList<string>, LinearModelDocument> fit) => (task, rows, features) =>
    {
        var document = fit(task, [.. rows.Where(r => r.TurnOrder != TurnOrders.Unheard)], features);
        document.FirstTurn = fit(task, [.. rows.Where(r => r.TurnOrder == TurnOrders.Unheard)], features);
        return document;
    };

    /// <summary>Mean recall over the <see cref="TargetEvents"/> (or <paramref name="events"/>) the matrix has clips of (<see langword="null"/>: none).</summary>
    public static double? TargetUar(ConfusionMatrix matrix, IReadOnlyList<string>? events = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        events ??= TargetEvents;
        var recalls = matrix.Labels.Select((l, i) => (l, i)).Where(p => events.Contains(p.l) && matrix.Support(p.i) > 0).Select(p => matrix.Recall(p.i)).ToList();
        return recalls.Count > 0 ? recalls.Average() : null;
    }

    /// <summary>Whether <paramref name="name"/> matches one of <paramref name="patterns"/> (a name, or a prefix ending in <c>*</c>).</summary>
    public static bool IsExcluded(string name, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Any(p => p.EndsWith('*') ? name.StartsWith(p[..^1], StringComparison.Ordinal) : name == p);
    }

    /// <summary>A data set's display name: its folder and the folder above (e.g. <c>telephone/events</c>).</summary>
    private static string SetName(string folder) =>
        $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder)) ?? folder))}/{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}";

    private static string NonTargetClause(EventThresholdCalibration calibration) => calibration.MaxNonTargetAlarms is { } bound
        ? string.Create(CultureInfo.InvariantCulture, $" and at most {bound:P1} of each set's non-target bursts")
        : "";

    /// <summary>
    /// Per data set, the UAR over the target events alone, and how many <c>none</c> clips (non-target bursts in a set
    /// with events, or speech in a false-alarm set) the cross-validated model raised an event on.
    /// </summary>
    private static void WriteFalseAlarms(EvalReport report, TextWriter output)
    {
        foreach (var task in report.Tasks)
        {
            if (TargetUar(task.Matrix) is { } targetUar)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"target UAR {task.Name} ({string.Join(", ", TargetEvents.Where(task.Matrix.Labels.Contains))}): {targetUar:F3}"));
                var more = MoreEvents.Where(e => task.Matrix.Labels.ToList().IndexOf(e) is var i and >= 0 && task.Matrix.Support(i) > 0).ToList();
                if (more.Count > 0 && TargetUar(task.Matrix, [.. TargetEvents, .. more]) is { } widerUar)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"target UAR {task.Name} with {string.Join(", ", more)}: {widerUar:F3}"));
                }
            }

            var none = task.Matrix.Labels.ToList().IndexOf("none");
            if (none >= 0 && task.Matrix.Support(none) is var clips and > 0)
            {
                var alarms = clips - task.Matrix.Count(none, none);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"false alarms {task.Name}: {alarms} of {clips} none clips raised an event ({100.0 * alarms / clips:F1} %)"));
            }
        }
    }
}
