namespace StepAudio.Telephony.CallFlow.Tests.Flows.Routing;

/// <summary>A temporary flow directory, deleted when disposed.</summary>
internal sealed class FlowDirectory : IDisposable
{
    public FlowDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flows-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string fileName, string text)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public static string Flow(string name, string text = "Hello") => $"flow: {name}\nstart: a\nsteps:\n  a:\n    say: \"{text}\"\n";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
