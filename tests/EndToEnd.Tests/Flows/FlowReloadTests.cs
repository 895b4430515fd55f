using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>A changed flow file is picked up live: new calls get the new version, a call in progress keeps its own.</summary>
public sealed class FlowReloadTests : IDisposable
{
    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    // Waits for a key that never comes, then ends at a step whose name tells the versions apart.
    private static string Flow(string end) => $"""
        flow: live
        start: wait
        steps:
          wait:
            gather:
              timeout: 3s
              retries: 0
            next: {end}
          {end}:
            hangup:
              reason: {end}
        """;

    [Fact]
    public async Task Call_in_progress_keeps_its_version_while_a_new_call_gets_the_changed_flow()
    {
        var file = Path.Combine(_flows, "live.yaml");
        await File.WriteAllTextAsync(file, Flow("old_end"));
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: live\n");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
            ["CallFlow__ReloadDebounce"] = "00:00:00.200",
        });
        var scenario = Path.Combine(RepositoryPaths.SippScenarios, "uac_gateway_hangup.xml");

        var first = Sipp.CallAsync(gateway.SipPort, scenario, _work);
        await WaitUntilAsync(() => events.CallsTo(gateway.SipPort).Count == 1, "the first call did not start");
        await File.WriteAllTextAsync(file, Flow("new_end"));
        await WaitUntilAsync(() => gateway.Output.Contains("Reloaded 1 call flow(s)", StringComparison.Ordinal), "no reload logged");
        var second = await Sipp.CallAsync(gateway.SipPort, scenario, Directory.CreateDirectory(Path.Combine(_work, "second")).FullName);
        var firstResult = await first;

        Assert.True(firstResult.ExitCode == 0, "first call: " + firstResult.Describe() + "\n--- gateway ---\n" + gateway.Output);
        Assert.True(second.ExitCode == 0, "second call: " + second.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var calls = await events.WaitForEndedCallsAsync(gateway.SipPort, 2, TimeSpan.FromSeconds(30));
        var ends = calls.Select(c => (Started: ((CallStarted)c[0]).Timestamp, Ended: (CallEnded)c[^1])).OrderBy(c => c.Started).ToList();
        Assert.Equal("old_end", ends[0].Ended.LastStep);
        Assert.Equal("new_end", ends[1].Ended.LastStep);
        Assert.All(ends, e => Assert.Equal("completed", e.Ended.Outcome));
        Assert.NotEqual(ends[0].Ended.FlowVersion, ends[1].Ended.FlowVersion);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30); // processes and a broker on a loaded machine
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, failure);
            await Task.Delay(50);
        }
    }
}
