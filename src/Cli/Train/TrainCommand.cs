using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Cli.Paths;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// <c>train --task emotion|vocal_event --data DIR [--data DIR …] --out model.json [--folds 5] [--max-false-alarms 0.03]
/// [--max-nontarget-alarms 0.15] [--model linear|trees|lightgbm] [--trees N --leaves N --min-leaf-clips N --learning-rate R]
/// [--tree-sizes 50x8@0.2 …] [--two-stage] [--clean-labels | --clean-fraction F] [--feature-cache DIR] [--exclude-measure NAME|PREFIX* …]</c>: measures labelled
/// folders (one folder per speaker under each label), reports speaker-grouped cross-validated precision, recall and
/// UAR per data set, then fits the model on everything and writes it with its provenance.
/// </summary>
public static class TrainCommand
{
    /// <summary>Exit code when the data or the arguments cannot be used.</summary>
    public const int UsageError = 2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds the command; output goes to the given writers so tests can read it.</summary>
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var task = new Option<string>("--task") { Description = "emotion or vocal_event", Required = true };
        task.AcceptOnlyFromAmong("emotion", "vocal_event");
        var data = new Option<DirectoryInfo[]>("--data")
        {
            Description = "Labelled folder <label>/<speaker>/*.wav (repeat: e.g. wideband and telephone copies; a speaker stays in one fold across them)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var outFile = new Option<FileInfo>("--out") { Description = "Model file to write (JSON)", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds, grouped by speaker (0: none)", DefaultValueFactory = _ => 5 };
        var exclude = new Option<string[]>("--exclude-speaker") { Description = "Speaker folder to leave out (repeat; e.g. the speakers of the committed test subset)" };
        var maxFalseAlarms = new Option<double?>("--max-false-alarms")
        {
            Description = "vocal_event: choose the event threshold so at most this share (0–1) of each speech-only (--data with only none) set raises an event",
        };
        var kind = new Option<string>("--model")
        {
            Description = "linear (multinomial logistic regression, explainable by per-measure contributions), trees (boosted trees, ML.NET FastTree one-versus-all; runs without ML.NET) or lightgbm (the same one-versus-all trees grown by LightGBM)",
            DefaultValueFactory = _ => "linear",
        };
        kind.AcceptOnlyFromAmong("linear", "trees", "lightgbm");
        var maxNonTarget = new Option<double?>("--max-nontarget-alarms")
        {
            Description = "vocal_event, with --max-false-alarms: also at most this share (0–1) of each set's non-target (none) bursts may raise an event",
        };
        var treeCount = new Option<int>("--trees") { Description = "trees: trees per class", DefaultValueFactory = _ => TreeSettings.Default.Trees };
        var leaves = new Option<int>("--leaves") { Description = "trees: most leaves per tree", DefaultValueFactory = _ => TreeSettings.Default.Leaves };
        var minLeaf = new Option<int>("--min-leaf-clips") { Description = "trees: fewest clips per leaf", DefaultValueFactory = _ => TreeSettings.Default.MinLeafClips };
        var rate = new Option<double>("--learning-rate") { Description = "trees: shrinkage per tree", DefaultValueFactory = _ => TreeSettings.Default.LearningRate };
        var cleanFraction = new Option<double?>("--clean-fraction") { Description = "drop, per class, this share (0–1) of training clips with the lowest inner out-of-fold probability of their own label (held-out clips keep their labels)" };
        var twoStage = new Option<bool>("--two-stage") { Description = "trees or lightgbm, vocal_event: a gate (an event or none) then which event, instead of one-versus-all over all classes" };
        var clean = new Option<bool>("--clean-labels") { Description = "drop training clips whose label is probably not the sound (confident learning on inner speaker-grouped folds; held-out clips keep their labels)" };
        var treeSizes = new Option<string[]>("--tree-sizes")
        {
            Description = "trees, vocal_event with --max-false-alarms: sizes TREESxLEAVES@RATE to choose among by nested speaker-grouped CV (repeat; replaces --trees/--leaves/--learning-rate)",
        };
        var excludeMeasure = new Option<string[]>("--exclude-measure") { Description = "measure to leave out (repeat; NAME or PREFIX*), for ablations" };
        var l2 = new Option<float>("--l2") { Description = "linear model: L2 penalty (larger: a simpler model)", DefaultValueFactory = _ => SdcaTrainer.DefaultL2 };
        var vadModel = new Option<FileInfo?>("--vad-model") { Description = $"emotion: Silero VAD model that cuts speech clips as a call would (default: ${ToolPaths.VadModelVariable}, else {ToolPaths.DefaultVadModel} of the checkout)" };
        var turnOrders = new Option<int>("--turn-orders")
        {
            Description = "emotion: also train on each speaker's clips judged against their baseline in this many other orders (shuffled, in blocks by label, with no baseline; cross-validation still scores file-name order)",
            DefaultValueFactory = _ => 0,
        };
        var firstTurn = new Option<bool>("--first-turn-model")
        {
            Description = "emotion: also fit a model for a caller not heard yet (no baseline: a call's first turn, an unknown speaker), kept in the same file",
        };
        var cacheDir = new Option<DirectoryInfo?>("--feature-cache") { Description = "folder that keeps measured clips between runs (rebuilt when the clips or the measures change)" };
        var command = new Command("train", "Fit an emotion or vocal-event model on labelled WAV folders")
        {
            task, data, outFile, folds, exclude, maxFalseAlarms, maxNonTarget, kind, treeCount, leaves, minLeaf, rate, clean, cacheDir, excludeMeasure, treeSizes, twoStage, cleanFraction, l2,
            vadModel, turnOrders, firstTurn,
        };
        command.SetAction(parse =>
        {
            try
            {
                var name = parse.GetValue(task)!;
                var folders = parse.GetValue(data)!;
                var k = parse.GetValue(folds);
                if (k is 1 or < 0)
                {
                    throw new InvalidOperationException("--folds must be 0 or at least 2.");
                }

                if (parse.GetValue(maxFalseAlarms) is { } bound && !(bound is >= 0 and < 1))
                {
                    throw new InvalidOperationException("--max-false-alarms must be in [0, 1).");
                }

                if (parse.GetValue(maxNonTarget) is { } nonTarget && (!(nonTarget is >= 0 and < 1) || parse.GetValue(maxFalseAlarms) is null))
                {
                    throw new InvalidOperationException("--max-nontarget-alarms must be in [0, 1) and needs --max-false-alarms.");
                }

                var booster = parse.GetValue(kind) == "lightgbm" ? TreeBooster.LightGbm : TreeBooster.FastTree;
                var trees = parse.GetValue(kind) is "trees" or "lightgbm"
                    ? new TreeSettings(parse.GetValue(treeCount), parse.GetValue(leaves), parse.GetValue(minLeaf), parse.GetValue(rate), booster, parse.GetValue(twoStage)).Validated()
                    : null;
                var cache = parse.GetValue(cacheDir) is { } dir ? new FeatureCache(dir.FullName) : null;
                var sizes = (parse.GetValue(treeSizes) ?? []).Select(s => TreeSizeSelection.Parse(s, parse.GetValue(minLeaf), booster) with { TwoStage = parse.GetValue(twoStage) }).ToList();
                if (sizes.Count > 0 && trees is null)
                {
                    throw new InvalidOperationException("--tree-sizes needs --model trees or lightgbm.");
                }

                if (!(parse.GetValue(l2) is > 0 and < 1000) || (trees is not null && parse.GetValue(l2) != SdcaTrainer.DefaultL2))
                {
                    throw new InvalidOperationException("--l2 must be in (0, 1000) and is for the linear model only.");
                }

                if (parse.GetValue(cleanFraction) is { } share && !(share is > 0 and < 1))
                {
                    throw new InvalidOperationException("--clean-fraction must be in (0, 1).");
                }

                if (parse.GetValue(turnOrders) is < 0 or > 30 || (parse.GetValue(turnOrders) > 0 && name != "emotion"))
                {
                    throw new InvalidOperationException("--turn-orders must be in [0, 30] and is for --task emotion only.");
                }

                if (parse.GetValue(firstTurn) && name != "emotion")
                {
                    throw new InvalidOperationException("--first-turn-model is for --task emotion only.");
                }

                using var cut = CallCut.WithModelAt(ToolPaths.VadModel(parse.GetValue(vadModel)));
                var trainer = new ModelTraining(name, output, cut, trees, cache, parse.GetValue(clean), parse.GetValue(excludeMeasure) ?? [], sizes, parse.GetValue(cleanFraction), parse.GetValue(l2), parse.GetValue(turnOrders), parse.GetValue(firstTurn));
                var document = trainer.Run([.. folders.Select(f => f.FullName)], k, parse.GetValue(exclude) ?? [], parse.GetValue(maxFalseAlarms), parse.GetValue(maxNonTarget));
                document.Provenance["command"] = "stepaudio " + string.Join(' ', parse.Tokens.Select(t => t.Value));
                document.Provenance["date"] = clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
                var target = parse.GetValue(outFile)!;
                using (var stream = File.Create(target.FullName))
                {
                    JsonSerializer.Serialize(stream, document, Indented);
                }

                output.WriteLine($"model written to {target.FullName}");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException)
            {
                error.WriteLine($"train: {e.Message}");
                return UsageError;
            }
        });
        return command;
    }
}
