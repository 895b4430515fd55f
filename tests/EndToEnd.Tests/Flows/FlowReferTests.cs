using System.Globalization;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>
/// The caller's side transfers the call by REFER (RFC 3515) and the flow allows it: the gateway answers 202, calls the
/// Refer-To target (a second sipp) as a bridge, reports 100 then 200 in sipfrag NOTIFYs (sipp checks them), and
/// publishes CallTransferred with requestedBy remote.
/// </summary>
public sealed class FlowReferTests : IDisposable
{
    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_refer_the_flow_allows_bridges_the_caller_to_the_target_and_says_the_remote_asked()
    {
        int agentPort = FreePort.Udp();
        int agentMediaPort = FreePort.UdpRange(4, agentPort); // sipp binds -mp to -mp+3
        var agentUri = $"sip:agent@127.0.0.1:{agentPort}";
        await File.WriteAllTextAsync(Path.Combine(_flows, "hold.yaml"), """
            flow: hold
            accept_refer: true
            start: waiting
            steps:
              waiting:
                pause: 30s
            """);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: hold\n");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
        });

        // The target answers one call and expects the gateway's BYE once the caller hangs up.
        var agent = SippRunner.RunAsync(
            ["-sn", "uas", "-i", "127.0.0.1", "-p", agentPort.ToString(CultureInfo.InvariantCulture),
             "-mp", agentMediaPort.ToString(CultureInfo.InvariantCulture), "-m", "1", "-timeout", "60s", "-timeout_error"],
            TimeSpan.FromSeconds(90),
            Directory.CreateDirectory(Path.Combine(_work, "agent")).FullName);
        await SippRunner.WaitUntilListeningAsync(agent, agentPort);
        var caller = await Sipp.CallAsync(
            gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_refer_to_gateway.xml"), _work,
            extraArguments: ["-key", "refer_to", agentUri]);
        var agentResult = await agent;

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        Assert.True(agentResult.ExitCode == 0, "agent: " + agentResult.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        var transferred = Assert.Single(call.OfType<CallTransferred>());
        Assert.Equal((agentUri, "bridge", "waiting", "hold", "remote"),
            (transferred.Target, transferred.Mode, transferred.Step, transferred.Flow, transferred.RequestedBy));
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal(("caller", "transferred"), (ended.HungUpBy, ended.Outcome));
    }
}
