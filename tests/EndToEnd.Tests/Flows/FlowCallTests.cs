using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>Real sipp calls run by YAML flows: a DTMF menu, a REFER transfer and a caller who gives up.</summary>
public sealed class FlowCallTests(FlowGatewayFixture fixture) : IClassFixture<FlowGatewayFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Key_press_picks_the_menu_branch_and_the_flow_hangs_up_completed()
    {
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");
        var earlier = KnownCalls();

        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_flow_menu_key.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp did not get the flow's BYE: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await NewEndedCallAsync(earlier);
        Assert.Contains(call, e => e is DtmfReceived { Digit: "2" });
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("gateway", ended.HungUpBy);
        Assert.Equal("chose-two", ended.Reason);
        Assert.Equal("completed", ended.Outcome);
        Assert.Equal("chose_two", ended.LastStep);
        Assert.Equal("menu", ended.Flow);
        Assert.False(string.IsNullOrEmpty(ended.FlowVersion));
    }

    [Fact]
    public async Task Refer_transfer_publishes_call_transferred_and_ends_transferred()
    {
        var earlier = KnownCalls();

        var sipp = await Sipp.CallAsync(
            fixture.Gateway.SipPort,
            Path.Combine(RepositoryPaths.SippScenarios, "uac_refer_target.xml"),
            _work,
            extraArguments: ["-s", FlowGatewayFixture.TransferNumber]);

        Assert.True(sipp.ExitCode == 0, "sipp as transferee failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await NewEndedCallAsync(earlier);
        var transferred = Assert.Single(call.OfType<CallTransferred>());
        Assert.Equal(FlowGatewayFixture.AgentUri, transferred.Target);
        Assert.Equal("refer", transferred.Mode);
        Assert.Equal("to_agent", transferred.Step);
        Assert.Equal("handover", transferred.Flow);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("transferred", ended.Outcome);
        Assert.Equal("to_agent", ended.LastStep);
        Assert.Equal("transferred", ended.Reason);
    }

    [Fact]
    public async Task Caller_hanging_up_during_the_menu_abandons_the_flow_at_that_step()
    {
        var earlier = KnownCalls();

        // sipp's built-in caller hangs up after -d: one second into a menu that waits fifteen for a key (far more than
        // the second, so a loaded machine cannot let the menu time out first).
        var sipp = await Sipp.CallAsync(fixture.Gateway.SipPort, "uac", _work, pause: TimeSpan.FromSeconds(1));

        Assert.True(sipp.ExitCode == 0, "sipp uac failed: " + sipp.Describe() + "\n--- gateway ---\n" + fixture.Gateway.Output);
        var call = await NewEndedCallAsync(earlier);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("caller", ended.HungUpBy);
        Assert.Equal("abandoned", ended.Outcome);
        Assert.Equal("menu", ended.LastStep);
        Assert.Equal("menu", ended.Flow);
    }

    private HashSet<string> KnownCalls() => fixture.Events.CallsTo(fixture.Gateway.SipPort).Select(c => c[0].CallId).ToHashSet(StringComparer.Ordinal);

    // The tests share one gateway: the call under test is the one that was not there before it, once it has ended.
    private async Task<IReadOnlyList<Analytics.Contracts.ICallEvent>> NewEndedCallAsync(HashSet<string> earlier)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var call = fixture.Events.CallsTo(fixture.Gateway.SipPort).SingleOrDefault(c => !earlier.Contains(c[0].CallId) && c[^1] is CallEnded);
            if (call is not null)
            {
                return call;
            }

            Assert.True(DateTime.UtcNow < giveUp, "the call did not end within 30 s:\n" + fixture.Gateway.Output);
            await Task.Delay(50);
        }
    }
}
