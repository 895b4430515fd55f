using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>The <c>record</c> verb on a real call: a WAV of the caller when recording is enabled, a failure when not.</summary>
public sealed class FlowRecordTests : IDisposable
{
    private const string RecordFlow = """
        flow: voicemail
        start: take
        steps:
          take:
            record:
              max_length: 2s
              silence_timeout: 5s
              beep: false
            next: bye
          bye:
            hangup:
              reason: recorded
        """;

    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Record_writes_the_callers_audio_only_when_the_gateway_allows_recording(bool enabled)
    {
        var recordings = Directory.CreateDirectory(Path.Combine(_work, "recordings")).FullName;
        await File.WriteAllTextAsync(Path.Combine(_flows, "voicemail.yaml"), RecordFlow);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: voicemail\n");
        File.CreateSymbolicLink(Path.Combine(_work, "pcap"), "/usr/share/sip-tester");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["CallFlow__Enabled"] = "true",
            ["CallFlow__Directory"] = _flows,
            ["Recording__Enabled"] = enabled ? "true" : "false",
            ["Recording__Directory"] = recordings,
        });

        // The caller talks (recorded A-law speech) and waits for the gateway's BYE.
        var sipp = await Sipp.CallAsync(gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_talk_until_bye.xml"), _work);

        Assert.True(sipp.ExitCode == 0, "sipp did not get the flow's BYE: " + sipp.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var ended = Assert.IsType<CallEnded>((await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single()[^1]);
        if (enabled)
        {
            Assert.Equal("completed", ended.Outcome);
            Assert.Equal("bye", ended.LastStep);
            var step = Assert.Single(Directory.GetFiles(recordings, ended.CallId + "-*.wav"));
            Assert.InRange(new FileInfo(step).Length, 44 + (2 * 8000), 44 + (2 * 8000 * 3)); // about max_length of 8 kHz audio
        }
        else
        {
            Assert.Equal("failed", ended.Outcome);
            Assert.Equal("take", ended.LastStep);
            Assert.Empty(Directory.GetFiles(recordings));
            Assert.Contains("Recording:Enabled", gateway.Output, StringComparison.Ordinal);
        }
    }
}
