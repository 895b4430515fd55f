using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Cli.Tests.Eval;

public sealed class EvalConfigurationTests
{
    [Fact]
    public void Config_file_binds_the_paralinguistics_section_and_its_model_slot()
    {
        using var dir = new TempDirectory();
        var config = dir.File("settings.json");
        File.WriteAllText(config, """
            { "Paralinguistics": { "MaxAnalysisSeconds": 12,
                "Model": { "Name": "emo", "ModelPath": "/models/emo.onnx", "InputFormat": "LogMelFeatureFirst", "MelBins": 64,
                           "Labels": [ "angry", "ignore", "throat_clear" ], "Mode": "Replace", "JoinWeight": 0.25 } } }
            """);
        Directory.CreateDirectory(Path.Combine(dir.Path, "set", "sad"));
        ParalinguisticsOptions? seen = null;

        var exit = CliApplication.Run(["eval", Path.Combine(dir.Path, "set"), "--config", config], TextWriter.Null, TextWriter.Null,
            o => { seen = o; return new FakeAnalyzer(); });

        Assert.Equal(0, exit);
        Assert.NotNull(seen);
        Assert.Equal(12, seen.MaxAnalysisSeconds);
        Assert.Equal("emo", seen.Model.Name);
        Assert.Equal(AudioInputFormat.LogMelFeatureFirst, seen.Model.InputFormat);
        Assert.Equal(64, seen.Model.MelBins);
        Assert.Equal(["angry", "ignore", "throat_clear"], seen.Model.Labels);
        Assert.Equal(AudioClassifierMode.Replace, seen.Model.Mode);
        Assert.Equal(0.25, seen.Model.JoinWeight);
    }

    [Fact]
    public void Invalid_config_is_a_usage_error_naming_the_key()
    {
        using var dir = new TempDirectory();
        var config = dir.File("settings.json");
        File.WriteAllText(config, """{ "Paralinguistics": { "Model": { "ModelPath": "/m.onnx", "Labels": [ "fearful" ] } } }""");
        using var error = new StringWriter();

        var exit = CliApplication.Run(["eval", dir.Path, "--config", config], TextWriter.Null, error, _ => new FakeAnalyzer());

        Assert.Equal(2, exit);
        Assert.Contains("Paralinguistics:Model:Labels[0] 'fearful'", error.ToString(), StringComparison.Ordinal);
    }
}
