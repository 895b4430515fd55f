namespace StepAudio.Telephony.Inference.Tests.TestSupport;

/// <summary>Finds the Silero VAD model for tests: $STEPAUDIO_VAD_MODEL, else &lt;repo&gt;/models/silero_vad_v5.onnx.</summary>
internal static class VadModelLocator
{
    public const string EnvironmentVariable = "STEPAUDIO_VAD_MODEL";
    private const string SolutionFile = "StepAudio.Telephony.sln";

    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            Assert.True(File.Exists(fromEnvironment), $"{EnvironmentVariable} names '{fromEnvironment}', which does not exist.");
            return Path.GetFullPath(fromEnvironment);
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, SolutionFile)))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, $"Could not find {SolutionFile} above {AppContext.BaseDirectory}; set {EnvironmentVariable} to the model path.");
        var path = Path.Combine(directory!.FullName, "models", "silero_vad_v5.onnx");
        Assert.True(File.Exists(path), $"Silero VAD model missing at '{path}'. Run scripts/fetch-vad-model.sh (or set {EnvironmentVariable}).");
        return path;
    }
}
