using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Calls;

/// <summary>A caller who hangs up while the gateway is still ringing (RFC 3261 §9.2).</summary>
public sealed class CancelTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Cancel_before_answer_gets_200_then_487_and_no_call_is_reported()
    {
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            // Long enough that sipp's CANCEL always lands before the answer.
            ["Calls__AnswerDelay"] = "00:00:03",
        });

        var sipp = await Sipp.CallAsync(gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_cancel.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp CANCEL scenario failed: " + sipp.Describe() + "\n--- gateway ---\n" + gateway.Output);

        // A call that was never answered is not a call to report; give a wrongly answered one time to show up.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(gateway.HasExited);
        Assert.Empty(events.CallsTo(gateway.SipPort));
    }
}
