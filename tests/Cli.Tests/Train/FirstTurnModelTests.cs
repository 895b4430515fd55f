using StepAudio.Telephony.Cli.Tests.Flows;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>
/// <c>train --first-turn-model</c> (README "A caller not heard yet"): the file holds a second model for turns whose
/// caller has no baseline yet, trained on every clip judged against the population's norms, and eval uses it.
/// </summary>
public sealed class FirstTurnModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_model_file_holds_a_first_turn_model_that_loads_and_the_outer_model_is_the_one_trained_without_it()
    {
        string[] args = ["train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "2", "--feature-cache", _dir.File("cache"), "--out"];

        var plain = FlowCli.Run([.. args, _dir.File("plain.json")]);
        var withFirst = FlowCli.Run([.. args, _dir.File("first.json"), "--first-turn-model"]);

        Assert.True(plain.Exit == 0 && withFirst.Exit == 0, plain.Error + withFirst.Error);
        var a = ModelFiles.Load(_dir.File("plain.json"));
        var b = ModelFiles.Load(_dir.File("first.json"));
        Assert.Null(a.FirstTurn);
        var firstTurn = Assert.IsType<LinearModel>(b.FirstTurn);
        Assert.Equal(b.Classes, firstTurn.Classes);

        // The outer model judges heard callers and is fitted on exactly the rows it was fitted on before.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(a.Document.Weights), System.Text.Json.JsonSerializer.Serialize(b.Document.Weights));
        Assert.NotEqual(System.Text.Json.JsonSerializer.Serialize(b.Document.Weights), System.Text.Json.JsonSerializer.Serialize(firstTurn.Document.Weights));
        Assert.Contains("24 clips", firstTurn.Document.Provenance["data"].ToString(), StringComparison.Ordinal);
        Assert.True(b.Document.Provenance.ContainsKey("first_turn"));

        // Cross-validation still scores each of the 24 clips once.
        Assert.Contains("2-fold speaker-grouped cross-validation, 24 clips, 2 speakers", withFirst.Output, StringComparison.Ordinal);
        Assert.Contains("24 clips of 2 speakers", withFirst.Output, StringComparison.Ordinal);
        Assert.Contains("48 rows", withFirst.Output, StringComparison.Ordinal);

        // eval judges a clip whose caller has not been heard by the first-turn model: rigged to say sad whatever it
        // hears, it answers every clip of a folder with no speaker folders, and only each speaker's first one otherwise.
        var rigged = System.Text.Json.JsonSerializer.Deserialize<LinearModelDocument>(File.ReadAllText(_dir.File("first.json")))!;
        rigged.FirstTurn!.Biases[rigged.Classes.IndexOf("sad")] = 1_000;
        File.WriteAllText(_dir.File("rigged.json"), System.Text.Json.JsonSerializer.Serialize(rigged));
        var flat = _dir.File("flat");
        foreach (var file in Directory.GetFiles(RealRecordings.Path("emotion"), "*.wav", SearchOption.AllDirectories))
        {
            var label = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))!;
            Directory.CreateDirectory(Path.Combine(flat, label));
            File.Copy(file, Path.Combine(flat, label, Path.GetFileName(Path.GetDirectoryName(file)) + "-" + Path.GetFileName(file)));
        }

        Assert.Equal(6.0 / 24, Accuracy(flat, _dir.File("rigged.json")), 9); // the 6 sad clips, nothing else
        Assert.True(Accuracy(RealRecordings.Path("emotion"), _dir.File("rigged.json")) > 0.5);
    }

    [Fact]
    public void Other_turn_orders_add_training_rows_but_each_clip_is_scored_once()
    {
        var (exit, output, error) = FlowCli.Run("train", "--task", "emotion", "--data", RealRecordings.Path("emotion"), "--folds", "2",
            "--turn-orders", "3", "--first-turn-model", "--out", _dir.File("m.json"));

        Assert.True(exit == 0, error);
        Assert.Contains("2-fold speaker-grouped cross-validation, 24 clips, 2 speakers", output, StringComparison.Ordinal);
        Assert.Contains("24 clips of 2 speakers, ", output, StringComparison.Ordinal);
        Assert.Contains("(120 rows ", output, StringComparison.Ordinal); // 24 in file-name order, 3 × 24 in other orders, 24 unheard
        Assert.Contains("3 other orders", ModelFiles.Load(_dir.File("m.json")).Document.Provenance["turn_orders"].ToString(), StringComparison.Ordinal);
    }

    private static double Accuracy(string folder, string model)
    {
        var (exit, output, error) = FlowCli.Run("eval", folder, "--json", "--config", ModelFiles.Settings(model, "EmotionModel"));
        Assert.True(exit == 0, error);
        using var report = System.Text.Json.JsonDocument.Parse(output);
        return report.RootElement.GetProperty("tasks")[0].GetProperty("accuracy").GetDouble();
    }
}
