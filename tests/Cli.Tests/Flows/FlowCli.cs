namespace StepAudio.Telephony.Cli.Tests.Flows;

/// <summary>Runs the real <c>stepaudio</c> command line in-process and captures what it printed.</summary>
internal static class FlowCli
{
    public static string Root { get; } = FindRoot();

    public static string ExampleFlows => Path.Combine(Root, "config", "flows");

    public static string VadModel
    {
        get
        {
            var path = Path.Combine(Root, "models", "silero_vad_v5.onnx");
            Assert.True(File.Exists(path), $"Silero VAD model missing at '{path}'. Run scripts/fetch-vad-model.sh.");
            return path;
        }
    }

    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApplication.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>simulate</c> on the example flows with the repository's model and prompts (next to the flows), the network off.</summary>
    public static (int Exit, string Output, string Error) Simulate(params string[] args) =>
        Run(["simulate", .. args, "--flows", ExampleFlows, "--model", VadModel, "--no-network"]);

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
