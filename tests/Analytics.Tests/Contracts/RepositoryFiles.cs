namespace StepAudio.Telephony.Analytics.Tests.Contracts;

/// <summary>Files of the repository the tests run from (docs, golden JSON), found upwards from the test binaries.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] relative) => System.IO.Path.Combine([Root.Value, .. relative]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "StepAudio.Telephony.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no StepAudio.Telephony.sln above {AppContext.BaseDirectory}");
    }
}
