namespace StepAudio.Telephony.Testing;

/// <summary>
/// The small set of real recordings committed for tests (tests/data/real, licences in its NOTICE): EmoDB speech,
/// EmoGator vocal bursts and Coswara coughs, breathing and counting, wideband and through the telephone channel, one
/// folder per speaker under each label.
/// </summary>
public static class RealRecordings
{
    private const string SolutionFile = "StepAudio.Telephony.sln";

    /// <summary>The repository root (the folder holding the solution file above the test binaries).</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFile)))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }

    /// <summary>tests/data/real/<paramref name="parts"/>; throws when it is missing, so a test can never pass on no data.</summary>
    public static string Path(params string[] parts)
    {
        var path = System.IO.Path.Combine([RepositoryRoot(), "tests", "data", "real", .. parts]);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new DirectoryNotFoundException($"Real test recordings missing at '{path}' (see tests/data/real/NOTICE.md).");
        }

        return path;
    }
}
