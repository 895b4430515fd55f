namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Finds <c>CallFlow:Directory</c> when it is relative: first against the working directory (how an operator runs
/// the gateway from a deployment folder), then against each folder above the executable (how <c>dotnet run</c> and
/// the tests run it from bin/, with config/ at the repository root).
/// </summary>
internal static class FlowDirectoryLocator
{
    /// <summary>
    /// The directory's full path, or <see langword="null"/> when it exists in neither place or holds no <c>*.yaml</c>
    /// file (a checkout with only the format's README has no flows to run; calls then hear the greeting).
    /// </summary>
    public static string? Resolve(string directory, string? baseDirectory = null)
    {
        var found = Find(directory, baseDirectory);
        return found is not null && Directory.EnumerateFiles(found, "*.yaml").Any() ? found : null;
    }

    private static string? Find(string directory, string? baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (Path.IsPathRooted(directory))
        {
            return Directory.Exists(directory) ? Path.GetFullPath(directory) : null;
        }

        var fromWorkingDirectory = Path.GetFullPath(directory);
        if (Directory.Exists(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }

        for (var folder = new DirectoryInfo(baseDirectory ?? AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, directory);
            if (Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }
}
