using System.Globalization;
using System.Text.RegularExpressions;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>
/// A bridge transfer between two real sipp instances: the caller plays recorded speech, the gateway calls a second
/// sipp as the agent and relays audio both ways. The agent echoes every RTP packet it receives (-rtp_echo), so RTP
/// coming back from the agent proves the caller's audio reached it.
/// </summary>
public sealed partial class FlowBridgeTests : IDisposable
{
    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Bridge_relays_the_callers_audio_to_the_agent_and_ends_both_legs()
    {
        int agentPort = FreePort.Udp();
        int agentMediaPort = FreePort.UdpRange(4, agentPort); // sipp binds -mp to -mp+3
        var agentUri = $"sip:agent@127.0.0.1:{agentPort}";
        await File.WriteAllTextAsync(Path.Combine(_flows, "bridge.yaml"), $"""
            flow: bridge
            start: to_agent
            steps:
              to_agent:
                transfer:
                  to: "{agentUri}"
                  mode: bridge
                  timeout: 30s
            """);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: bridge\n");
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
        });

        // The agent answers one call, echoes its RTP and expects the gateway's BYE when the caller hangs up.
        var agent = SippRunner.RunAsync(
            ["-sn", "uas", "-i", "127.0.0.1", "-p", agentPort.ToString(CultureInfo.InvariantCulture),
             "-mp", agentMediaPort.ToString(CultureInfo.InvariantCulture), "-rtp_echo", "-m", "1", "-timeout", "60s", "-timeout_error"],
            TimeSpan.FromSeconds(90),
            Directory.CreateDirectory(Path.Combine(_work, "agent")).FullName);
        await SippRunner.WaitUntilListeningAsync(agent, agentPort);
        var caller = await Sipp.CallAsync(gateway.SipPort, "uac_pcap", _work);
        var agentResult = await agent;

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        Assert.True(agentResult.ExitCode == 0, "agent: " + agentResult.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        var transferred = Assert.Single(call.OfType<CallTransferred>());
        Assert.Equal("bridge", transferred.Mode);
        Assert.Equal(agentUri, transferred.Target);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("caller", ended.HungUpBy);
        Assert.Equal("transferred", ended.Outcome);
        Assert.Equal("to_agent", ended.LastStep);

        // The analysis keeps listening to the caller while bridged.
        Assert.NotEmpty(call.OfType<SpeechSegmentDetected>());
        await WaitUntilAsync(() => BridgeEnded().IsMatch(gateway.Output), "no bridge end logged:\n" + gateway.Output);
        var figures = BridgeEnded().Match(gateway.Output);
        Assert.True(long.Parse(figures.Groups["caller"].Value, CultureInfo.InvariantCulture) > 50, figures.Value);
        Assert.True(long.Parse(figures.Groups["agent"].Value, CultureInfo.InvariantCulture) > 50, figures.Value);
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

    [GeneratedRegex(@"bridge ended: (?<caller>\d+) caller frames relayed to the agent, \d+ agent frames to the caller, (?<agent>\d+) RTP packets from the agent")]
    private static partial Regex BridgeEnded();
}
