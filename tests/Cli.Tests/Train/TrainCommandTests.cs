using StepAudio.Telephony.Cli.Tests.Flows;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Trains_on_a_labelled_folder_reports_speaker_grouped_cv_and_writes_a_loadable_model()
    {
        var model = _dir.File("emotion.json");

        var (code, output, error) = FlowCli.Run("train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "2", "--out", model);

        Assert.True(code == 0, error);
        Assert.Contains("2-fold speaker-grouped cross-validation, 24 clips, 2 speakers", output, StringComparison.Ordinal);
        Assert.Contains("UAR", output, StringComparison.Ordinal);
        var loaded = ModelFiles.Load(model);
        Assert.Equal(["angry", "happy", "neutral", "sad"], loaded.Classes);
        Assert.DoesNotContain("duration_s", loaded.Features);
        Assert.Contains("level_re_caller_db", loaded.Features);
        Assert.Contains("stepaudio train --task emotion", loaded.Document.Provenance["command"].ToString(), StringComparison.Ordinal);

        // The file is usable as the analyzer's model.
        var (evalCode, evalOutput, _) = FlowCli.Run("eval", RealRecordings.Path("emotion"), "--config", ModelFiles.Settings(model, "EmotionModel"));
        Assert.Equal(0, evalCode);
        Assert.Contains("Task emotion: 24 files", evalOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Trees_option_writes_a_tree_model_that_the_analyzer_runs()
    {
        var model = _dir.File("events.json");

        var (code, output, error) = FlowCli.Run("train", "--task", "vocal_event", "--model", "trees", "--data", RealRecordings.Path("events"), "--folds", "0", "--out", model);

        Assert.True(code == 0, error);
        Assert.Contains("trained vocal_event on 78 clips of 6 speakers", output, StringComparison.Ordinal);
        var loaded = ModelFiles.Load(model);
        Assert.Equal(LinearModelDocument.TreeFormat, loaded.Document.Format);
        Assert.Equal(loaded.Classes.Count, loaded.Document.Trees!.Classes.Count);
        Assert.DoesNotContain("duration_s", loaded.Features);
        Assert.Contains("FastTree", loaded.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);

        var (evalCode, evalOutput, _) = FlowCli.Run("eval", RealRecordings.Path("events"), "--config", ModelFiles.Settings(model, "VocalEventModel"));
        Assert.Equal(0, evalCode);
        Assert.Contains("Task vocal_event: 78 files", evalOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluded_speakers_are_left_out()
    {
        var (code, output, error) = FlowCli.Run("train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "0",
            "--exclude-speaker", "emodb-03", "--out", _dir.File("m.json"));

        Assert.True(code == 0, error);
        Assert.Contains("trained emotion on 12 clips of 1 speakers", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing folder")]
    [InlineData("one label")]
    [InlineData("bad folds")]
    [InlineData("non-target bound alone")]
    [InlineData("no leaves")]
    [InlineData("clean fraction out of range")]
    [InlineData("l2 not positive")]
    [InlineData("l2 with trees")]
    [InlineData("first-turn model for vocal events")]
    [InlineData("turn orders for vocal events")]
    [InlineData("negative turn orders")]
    public void Unusable_data_or_arguments_are_a_usage_error(string fault)
    {
        var data = _dir.File("data");
        Directory.CreateDirectory(Path.Combine(data, "sad", "s1"));
        File.Copy(Directory.GetFiles(RealRecordings.Path("emotion", "sad", "emodb-03"))[0], Path.Combine(data, "sad", "s1", "a.wav"));
        string[] args = fault switch
        {
            "missing folder" => ["train", "--task", "emotion", "--data", _dir.File("nope"), "--out", _dir.File("m.json")],
            "one label" => ["train", "--task", "emotion", "--data", data, "--out", _dir.File("m.json")],
            "non-target bound alone" => ["train", "--task", "vocal_event", "--data", RealRecordings.Path("events"), "--max-nontarget-alarms", "0.1", "--out", _dir.File("m.json")],
            "no leaves" => ["train", "--task", "vocal_event", "--model", "trees", "--leaves", "1", "--data", RealRecordings.Path("events"), "--out", _dir.File("m.json")],
            "clean fraction out of range" => ["train", "--task", "vocal_event", "--model", "trees", "--clean-fraction", "1", "--data", RealRecordings.Path("events"), "--out", _dir.File("m.json")],
            "l2 not positive" => ["train", "--task", "emotion", "--l2", "0", "--data", RealRecordings.Path("emotion"), "--out", _dir.File("m.json")],
            "l2 with trees" => ["train", "--task", "vocal_event", "--model", "trees", "--l2", "1", "--data", RealRecordings.Path("events"), "--out", _dir.File("m.json")],
            "first-turn model for vocal events" => ["train", "--task", "vocal_event", "--first-turn-model", "--data", RealRecordings.Path("events"), "--out", _dir.File("m.json")],
            "turn orders for vocal events" => ["train", "--task", "vocal_event", "--turn-orders", "2", "--data", RealRecordings.Path("events"), "--out", _dir.File("m.json")],
            "negative turn orders" => ["train", "--task", "emotion", "--turn-orders", "-1", "--data", RealRecordings.Path("emotion"), "--out", _dir.File("m.json")],
            _ => ["train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "1", "--out", _dir.File("m.json")],
        };

        var (code, _, error) = FlowCli.Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("train:", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("m.json")));
    }

    [Fact]
    public void Vocal_event_cv_reports_the_target_uar_and_both_alarm_rates_and_the_model_keeps_both_bounds()
    {
        var model = _dir.File("events.json");

        var (code, output, error) = FlowCli.Run("train", "--task", "vocal_event", "--model", "trees", "--trees", "10", "--leaves", "4", "--min-leaf-clips", "3",
            "--data", RealRecordings.Path("events"), "--folds", "3",
            "--max-false-alarms", "0.5", "--max-nontarget-alarms", "0.9", "--out", model);

        Assert.True(code == 0, error);
        Assert.Matches(@"target UAR vocal_event \(real/events\) \(sigh, laugh, crying, gasp\): \d\.\d{3}", output);
        // The subset's coughs (Coswara) give the second target UAR; its none clips come from two sources, counted apart.
        Assert.Matches(@"target UAR vocal_event \(real/events\) with cough: \d\.\d{3}", output);
        Assert.Matches(@"false alarms real/events, coswara none clips: \d+ of 6 raised an event", output);
        Assert.Matches(@"false alarms real/events, emogator none clips: \d+ of 15 raised an event", output);
        Assert.Contains("none clips raised an event", output, StringComparison.Ordinal);
        Assert.Contains("operating curve (held-out predictions of the outer folds): threshold | real/events: target UAR, non-target alarms", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  0\.95 \| \d\.\d{3}, \d+\.\d %", output);
        var loaded = ModelFiles.Load(model);
        Assert.Contains("90.0 % of each set's non-target bursts", loaded.Document.Provenance["event_threshold"].ToString(), StringComparison.Ordinal);
        Assert.Contains("10 trees of at most 4 leaves", loaded.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_labels_prunes_training_clips_before_the_fit_and_says_so()
    {
        var model = _dir.File("clean.json");

        var (code, output, error) = FlowCli.Run("train", "--task", "vocal_event", "--model", "trees", "--trees", "5", "--leaves", "4", "--min-leaf-clips", "3",
            "--data", RealRecordings.Path("events"), "--folds", "0", "--clean-labels", "--out", model);

        Assert.True(code == 0, error);
        var kept = System.Text.RegularExpressions.Regex.Match(output, @"label cleaning: kept (\d+) of 78 training clips");
        Assert.True(kept.Success, output);
        Assert.InRange(int.Parse(kept.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 78);
        Assert.Contains("confident learning", ModelFiles.Load(model).Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LightGbm_two_stage_with_clean_fraction_writes_a_gated_model_with_its_provenance_that_eval_runs()
    {
        var model = _dir.File("gated.json");

        var (code, output, error) = FlowCli.Run("train", "--task", "vocal_event", "--model", "lightgbm", "--two-stage", "--trees", "5", "--leaves", "4",
            "--min-leaf-clips", "3", "--data", RealRecordings.Path("events"), "--folds", "0", "--clean-fraction", "0.25", "--out", model);

        Assert.True(code == 0, error);
        // A quarter of each label, rounded down: 2 of each 9 crying, laugh and sigh clips, 3 of 12 gasps, 4 of 18
        // coughs, 5 of 21 none.
        Assert.Contains("label cleaning: kept 60 of 78 training clips", output, StringComparison.Ordinal);
        var loaded = ModelFiles.Load(model);
        Assert.Equal(TreeEnsembleDocument.EventGatePlatt, loaded.Document.Trees!.Output);
        Assert.Equal(loaded.Classes.ToList().IndexOf("none"), loaded.Document.Trees.GateClass);
        var trainer = loaded.Document.Provenance["trainer"].ToString();
        Assert.Contains("two-stage", trainer, StringComparison.Ordinal);
        Assert.Contains("LightGbm", trainer, StringComparison.Ordinal);
        Assert.Contains("label cleaning by rank", trainer, StringComparison.Ordinal);

        var (evalCode, evalOutput, _) = FlowCli.Run("eval", RealRecordings.Path("events"), "--config", ModelFiles.Settings(model, "VocalEventModel"));
        Assert.Equal(0, evalCode);
        Assert.Contains("Task vocal_event: 78 files", evalOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feature_cache_gives_the_same_model_as_measuring_again()
    {
        var cache = _dir.File("cache");
        string[] args = ["train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "0", "--feature-cache", cache, "--out"];

        var first = FlowCli.Run([.. args, _dir.File("a.json")]);
        var second = FlowCli.Run([.. args, _dir.File("b.json")]);

        Assert.True(first.Exit == 0 && second.Exit == 0, first.Error + second.Error);
        Assert.Single(Directory.GetFiles(cache, "*.tsv"));
        static string Weights(string path) => System.Text.Json.JsonSerializer.Serialize(ModelFiles.Load(path).Document.Weights);

        Assert.Equal(Weights(_dir.File("a.json")), Weights(_dir.File("b.json")));
    }

    [Fact]
    public void A_larger_l2_penalty_gives_smaller_weights_and_the_provenance_says_which()
    {
        string[] args = ["train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "0", "--out"];

        var shipped = FlowCli.Run([.. args, _dir.File("a.json")]);
        var simpler = FlowCli.Run([.. args, _dir.File("b.json"), "--l2", "1"]);

        Assert.True(shipped.Exit == 0 && simpler.Exit == 0, shipped.Error + simpler.Error);
        // Why the sum of squares: the penalty bounds exactly that, so a hundred times the penalty must shrink it.
        static double Norm(LinearModel m) => m.Document.Weights.Sum(row => row.Sum(w => w * w));
        var a = ModelFiles.Load(_dir.File("a.json"));
        var b = ModelFiles.Load(_dir.File("b.json"));
        Assert.True(Norm(b) < Norm(a) / 2, $"L2 1: {Norm(b)}, L2 0.01: {Norm(a)}");
        Assert.Contains("L2 0.01,", a.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
        Assert.Contains("L2 1,", b.Document.Provenance["trainer"].ToString(), StringComparison.Ordinal);
    }
}
