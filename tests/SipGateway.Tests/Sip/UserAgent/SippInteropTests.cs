using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Runs the real sipp (sip-tester) as the caller: its built-in "uac" scenario sends INVITE, ACK, pauses, BYE.</summary>
public sealed class SippInteropTests
{
    [Fact]
    public async Task Sipp_default_uac_scenario_completes_a_call()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        // sipp exits 0 only if the whole call succeeded.
        var sipp = await SippRunner.RunAsync(
            ["-sn", "uac", $"127.0.0.1:{server.LocalEndPoint.Port}", "-i", "127.0.0.1", "-m", "1",
                "-timeout", "30s", "-timeout_error", "-recv_timeout", "10000"],
            TimeSpan.FromSeconds(60));
        Assert.True(sipp.ExitCode == 0, "sipp failed: " + sipp.Describe());

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal("PCMU", call.Codec.EncodingName);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        var (dialogId, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal((call.DialogId, "caller", "bye"), (dialogId, endedBy, reason));
    }
}
