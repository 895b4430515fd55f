using System.Globalization;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

namespace StepAudio.Telephony.EndToEnd.Tests.Flows;

/// <summary>
/// A flow's <c>early_media</c> announcement through the gateway process: sipp offers 100rel, gets the 183 with SDP,
/// PRACKs it (RAck from the RSeq) and only then the 200; the announcement's RTP reaches the caller's media port before
/// the call is answered, and <c>CallStarted</c> (billing) comes after it.
/// </summary>
public sealed class FlowEarlyMediaTests : IDisposable
{
    private readonly string _flows = Directory.CreateTempSubdirectory("stepaudio-flows-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("stepaudio-e2e-").FullName;

    public void Dispose()
    {
        Directory.Delete(_flows, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData("uac_100rel_early_media.xml")]
    [InlineData("uac_100rel_delayed_offer.xml")] // no offer in the INVITE: ours in the 183, the answer in the PRACK
    public async Task The_announcement_plays_in_a_reliable_183_before_the_answer_and_the_call_starts_after_it(string scenario)
    {
        await WriteAnnouncementFlowAsync("Calls on this line are recorded for quality.");
        await using var media = new RtpArrivals();
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await StartGatewayAsync();

        var caller = await Sipp.CallAsync(
            gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, scenario), _work,
            extraArguments: ["-key", "rtp_port", media.Port.ToString(CultureInfo.InvariantCulture)]);
        await media.StopAsync();

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        var started = Assert.IsType<CallStarted>(call[0]);
        Assert.Equal("announce", started.Flow);

        // The spoken sentence is well over half a second of 20 ms packets, all sent before the answer.
        var early = media.Times.Count(at => at < started.Timestamp);
        Assert.True(early >= 25, $"{early} RTP packets reached the caller before CallStarted ({media.Times.Count} in all)\n--- gateway ---\n{gateway.Output}");
        Assert.Contains("early media started (183 Session Progress, reliable)", gateway.Output, StringComparison.Ordinal);
        var ended = Assert.IsType<CallEnded>(call[^1]);
        Assert.Equal("caller", ended.HungUpBy);
    }

    [Fact]
    public async Task A_delayed_offer_caller_without_100rel_is_answered_without_the_announcement()
    {
        await WriteAnnouncementFlowAsync("Calls on this line are recorded for quality.");
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await StartGatewayAsync();

        var caller = await Sipp.CallAsync(gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_delayed_offer.xml"), _work);

        // Our offer could only go in a reliable 183 (RFC 3262 §5): the call is answered at once, the skip logged.
        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);
        var call = (await events.WaitForEndedCallsAsync(gateway.SipPort, 1, TimeSpan.FromSeconds(30))).Single();
        Assert.Equal("announce", Assert.IsType<CallStarted>(call[0]).Flow);
        Assert.Contains("does not support 100rel, so flow announce answers without its early_media announcement", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("early media started", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_who_cancels_during_the_announcement_gets_487_and_no_call_starts()
    {
        await WriteAnnouncementFlowAsync("All of our agents are busy at the moment. Calls on this line are recorded for quality and training. Please hold.");
        await using var media = new RtpArrivals();
        await using var events = await EventCollector.StartAsync();
        await using var gateway = await StartGatewayAsync();

        var caller = await Sipp.CallAsync(
            gateway.SipPort, Path.Combine(RepositoryPaths.SippScenarios, "uac_100rel_cancel.xml"), _work,
            extraArguments: ["-key", "rtp_port", media.Port.ToString(CultureInfo.InvariantCulture)]);
        var cancelled = DateTimeOffset.UtcNow;

        Assert.True(caller.ExitCode == 0, "caller: " + caller.Describe() + "\n--- gateway ---\n" + gateway.Output);

        // The announcement was playing, then stopped with the CANCEL: the call's media was released, not left running.
        // Arrivals are stamped when this process reads them, so a loaded machine may stamp packets sent before the
        // CANCEL late: two seconds of grace, and a three-second watch that still covers the rest of the announcement.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await media.StopAsync();
        Assert.True(media.Times.Count(at => at < cancelled) >= 10, $"{media.Times.Count} RTP packets in all\n--- gateway ---\n{gateway.Output}");
        Assert.Equal(0, media.Times.Count(at => at > cancelled + TimeSpan.FromSeconds(2)));
        Assert.Contains("ended by caller (cancel)", gateway.Output, StringComparison.Ordinal);
        Assert.False(gateway.HasExited);
        Assert.Empty(events.CallsTo(gateway.SipPort));
    }

    private async Task WriteAnnouncementFlowAsync(string announcement)
    {
        await File.WriteAllTextAsync(Path.Combine(_flows, "announce.yaml"), $"""
            flow: announce
            early_media:
              say: "{announcement}"
            start: waiting
            steps:
              waiting:
                pause: 30s
            """);
        await File.WriteAllTextAsync(Path.Combine(_flows, "routes.yaml"), "routes: []\ndefault: announce\n");
    }

    private Task<GatewayProcess> StartGatewayAsync() => GatewayProcess.StartAsync(new Dictionary<string, string>
    {
        ["CallFlow__Enabled"] = "true",
        ["CallFlow__Directory"] = _flows,
    });
}
