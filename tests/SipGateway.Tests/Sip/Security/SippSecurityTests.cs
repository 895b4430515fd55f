using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Security;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>sipp as the scanner, the flooder and the legitimate caller, against a UAS with the request filter.</summary>
public sealed class SippSecurityTests
{
    private static async Task<(SipUserAgentServer Server, SipRequestFilter Filter, TestCallHandler Handler)> StartAsync(SipSecurityOptions security)
    {
        var handler = new TestCallHandler();
        var filter = new SipRequestFilter(security, TimeProvider.System, NullLogger<SipRequestFilter>.Instance);
        var server = new SipUserAgentServer(new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance, filter);
        await server.StartAsync();
        return (server, filter, handler);
    }

    [Fact]
    public async Task Scanner_probes_at_a_high_rate_get_no_answer_while_a_real_call_from_the_same_machine_completes()
    {
        // Generous rate limit: this test is about the User-Agent check alone.
        var (server, filter, handler) = await StartAsync(new SipSecurityOptions { RequestsPerSecond = 10_000, Burst = 10_000 });
        await using var running = server;
        var target = $"127.0.0.1:{server.LocalEndPoint.Port}";

        var scanner = SippProcess.RunAsync("-sf", SippProcess.Scenario("scanner_options.xml"), target, "-m", "300", "-r", "150", "-l", "300");
        var caller = SippProcess.RunAsync("-sn", "uac", target, "-m", "1", "-recv_timeout", "10000");
        var (scannerExit, scannerOutput) = await scanner;
        var (callerExit, callerOutput) = await caller;

        Assert.True(scannerExit == 0, $"Some scanner probes were answered (sipp exit {scannerExit}):\n{scannerOutput}");
        Assert.True(callerExit == 0, $"The legitimate sipp call failed (exit {callerExit}):\n{callerOutput}");
        Assert.Equal(300, filter.ScannersDroppedCount);
        Assert.NotNull(await TestCallHandler.NextAsync(handler.Incoming));
    }

    [Fact]
    public async Task Options_flood_from_one_source_is_cut_to_the_configured_rate_and_another_source_is_still_served()
    {
        // A separate UAS with a low limit; sipp and the bystander use different loopback addresses.
        var (server, filter, _) = await StartAsync(new SipSecurityOptions { RequestsPerSecond = 5, Burst = 10 });
        await using var running = server;

        var (exitCode, output) = await SippProcess.RunAsync(
            "-sf", SippProcess.Scenario("options_ping.xml"), $"127.0.0.1:{server.LocalEndPoint.Port}", "-m", "100", "-r", "100", "-l", "100");

        // sipp exits 1 when some calls failed: here the probes the limiter dropped. At 100/s the run lasts about a
        // second, so the limiter lets through the burst of 10 plus about 5 refilled tokens (up to 20 on a slow machine).
        Assert.True(exitCode == 1, $"Expected some OPTIONS to go unanswered (sipp exit {exitCode}):\n{output}");
        Assert.InRange(filter.RateLimitedCount, 70, 90);
        using var bystander = new SipUdpPeer(server.LocalEndPoint, "127.0.0.9");
        await bystander.AssertAliveAsync();
    }

    [Fact]
    public async Task Control_the_scanner_scenario_fails_against_a_server_without_the_filter()
    {
        // Shows that scanner_options.xml does notice answers, so its exit 0 above means silence.
        await using var server = new SipUserAgentServer(new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();

        var (exitCode, output) = await SippProcess.RunAsync(
            "-sf", SippProcess.Scenario("scanner_options.xml"), $"127.0.0.1:{server.LocalEndPoint.Port}", "-m", "3", "-r", "10");

        Assert.True(exitCode == 1, $"The unprotected server's answers went unnoticed (sipp exit {exitCode}):\n{output}");
    }
}
