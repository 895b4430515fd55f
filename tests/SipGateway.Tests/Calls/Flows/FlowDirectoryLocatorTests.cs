using StepAudio.Telephony.SipGateway.Calls.Flows;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class FlowDirectoryLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stepaudio-locator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Relative_directory_is_found_above_the_executable_when_the_working_directory_lacks_it()
    {
        var flows = Directory.CreateDirectory(Path.Combine(_root, "config", "flows-" + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(flows, "main.yaml"), "flow: main\n");
        var bin = Directory.CreateDirectory(Path.Combine(_root, "src", "bin", "Debug")).FullName;

        var found = FlowDirectoryLocator.Resolve(Path.GetRelativePath(_root, flows), bin);

        Assert.Equal(flows, found);
    }

    [Fact]
    public void A_directory_without_flow_files_or_missing_means_no_flows()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        File.WriteAllText(Path.Combine(empty, "README.md"), "# flows\n");

        Assert.Null(FlowDirectoryLocator.Resolve(empty));
        Assert.Null(FlowDirectoryLocator.Resolve(Path.Combine(_root, "missing")));
    }
}
