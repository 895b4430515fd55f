namespace StepAudio.Telephony.Cli.Paths;

/// <summary>
/// Finds the repository's files (the flows, the VAD model) for <c>stepaudio</c> run from any folder: a relative
/// default is looked up from the working directory first, then from each folder above the executable (the Release
/// build lives in src/Cli/bin/Release/net10.0 of the checkout). An explicit path is always taken as given.
/// </summary>
internal static class ToolPaths
{
    /// <summary>Environment variable naming the Silero VAD model, for installs outside a checkout.</summary>
    public const string VadModelVariable = "STEPAUDIO_VAD_MODEL";

    /// <summary>The model's place in the repository.</summary>
    public const string DefaultVadModel = "models/silero_vad_v5.onnx";

    /// <summary>The flows' place in the repository.</summary>
    public const string DefaultFlows = "config/flows";

    /// <summary>
    /// <paramref name="relative"/> from the working directory if it exists there, else from the nearest folder above
    /// <paramref name="baseDirectory"/> (default: the executable's) holding it; else as given from the working directory.
    /// </summary>
    public static string Locate(string relative, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relative);
        if (Path.IsPathRooted(relative) || Exists(Path.GetFullPath(relative)))
        {
            return Path.GetFullPath(relative);
        }

        for (var folder = new DirectoryInfo(baseDirectory ?? AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return Path.GetFullPath(relative);
    }

    /// <summary>The VAD model: <c>--model</c> if given, else <see cref="VadModelVariable"/>, else the repository's.</summary>
    public static string VadModel(FileInfo? given) =>
        given?.FullName
        ?? (Environment.GetEnvironmentVariable(VadModelVariable) is { Length: > 0 } fromEnvironment ? Path.GetFullPath(fromEnvironment) : null)
        ?? Locate(DefaultVadModel);

    /// <summary>
    /// The prompt directory for flows in <paramref name="flowsDirectory"/>: <c>--prompts</c> if given, else the
    /// prompts folder next to the flows (the gateway's default too).
    /// </summary>
    public static string Prompts(DirectoryInfo? given, string flowsDirectory) =>
        given?.FullName ?? Path.Combine(Path.GetFullPath(flowsDirectory), CallFlow.Prompts.PromptOptions.FolderNextToFlows);

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
