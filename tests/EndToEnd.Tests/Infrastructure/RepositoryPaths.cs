namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>Where the built gateway, the sipp scenarios and the model live, seen from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the gateway is taken from the same configuration as these tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    public static string GatewayDirectory => Path.Combine(Root, "src", "SipGateway", "bin", Configuration, "net10.0");

    public static string GatewayDll => Path.Combine(GatewayDirectory, "StepAudio.Telephony.SipGateway.dll");

    /// <summary>The <c>stepaudio</c> command line, built beside the tests.</summary>
    public static string CliDll => Path.Combine(Root, "src", "Cli", "bin", Configuration, "net10.0", "stepaudio.dll");

    public static string SippScenarios => Path.Combine(Root, "deploy", "sipp");

    public static string Scripts => Path.Combine(Root, "scripts");

    public static string VadModel => Path.Combine(Root, "models", "silero_vad_v5.onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StepAudio.Telephony.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StepAudio.Telephony.sln not found above " + AppContext.BaseDirectory);
    }
}
