using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Tests.Train;

/// <summary>Model files that <c>stepaudio train</c> wrote in a test: read back, and named in a settings file for <c>eval</c>.</summary>
internal static class ModelFiles
{
    /// <summary>Reads and checks the model file at <paramref name="path"/>, as the analyzer would.</summary>
    public static LinearModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return LinearModel.Load(stream, path);
    }

    /// <summary>
    /// Writes, beside <paramref name="model"/> (its name with <c>-settings.json</c>), a settings file whose
    /// <c>Paralinguistics:<paramref name="setting"/></c> (<c>EmotionModel</c> or <c>VocalEventModel</c>) is that file; returns its path.
    /// </summary>
    public static string Settings(string model, string setting)
    {
        var path = Path.ChangeExtension(model, null) + "-settings.json";
        File.WriteAllText(path, $$"""{ "Paralinguistics": { "{{setting}}": "{{model.Replace("\\", "\\\\", StringComparison.Ordinal)}}" } }""");
        return path;
    }
}
