using StepAudio.Telephony.Cli.Paths;

namespace StepAudio.Telephony.Cli.Tests.Paths;

/// <summary>Relative defaults are found from the working directory, then from the folders above the executable.</summary>
public sealed class ToolPathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stepaudio-paths-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_file_above_the_executable_folder_is_found()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "src", "Cli", "bin", "Release", "net10.0")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "models"));
        File.WriteAllText(Path.Combine(_root, "models", "vad-test.onnx"), "x");

        Assert.Equal(Path.Combine(_root, "models", "vad-test.onnx"), ToolPaths.Locate("models/vad-test.onnx", bin));
    }

    [Fact]
    public void A_path_found_nowhere_stays_relative_to_the_working_directory_and_prompts_default_next_to_the_flows()
    {
        Assert.Equal(Path.GetFullPath("no/such/file-7d1f.onnx"), ToolPaths.Locate("no/such/file-7d1f.onnx", _root));
        Assert.Equal(Path.Combine(_root, "prompts"), ToolPaths.Prompts(null, _root));
        Assert.Equal(Path.GetFullPath("/srv/prompts"), ToolPaths.Prompts(new DirectoryInfo("/srv/prompts"), _root));
    }

    [Fact]
    public void An_explicit_model_wins_over_everything()
    {
        var model = new FileInfo(Path.Combine(_root, "mine.onnx"));

        Assert.Equal(model.FullName, ToolPaths.VadModel(model));
    }
}
