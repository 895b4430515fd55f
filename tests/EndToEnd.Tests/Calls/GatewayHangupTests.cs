using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Calls;

/// <summary>The gateway ends calls itself: no media for too long, or the flow's time limit.</summary>
public sealed class GatewayHangupTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData("Calls__MediaTimeout", "00:00:02", "media-timeout")]
    [InlineData("CallFlow__MaxCallDuration", "00:00:02", "max-duration")]
    public async Task Gateway_sends_bye_and_reports_why(string setting, string value, string expectedReason)
    {
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { [setting] = value });

        var sipp = await Sipp.CallAsync(gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_gateway_hangup.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp did not get the gateway's BYE: " + sipp.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("gateway", ended.HungUpBy);
        Assert.Equal(expectedReason, ended.Reason);
        // Not before the 2 s bound; the upper end only rules out a hang-up for another reason (sipp waits 30 s for
        // the BYE), with room for a loaded machine's late timers.
        Assert.InRange(ended.DurationSeconds, 1.5, 20);
    }
}
