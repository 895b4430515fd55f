using System.Diagnostics;
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

        var workDir = Directory.CreateTempSubdirectory("sipp-");
        var start = new ProcessStartInfo("sipp")
        {
            // -nostdin: no keyboard handling, so sipp runs without a TTY; it exits 0 only if the call succeeded.
            ArgumentList = { "-sn", "uac", $"127.0.0.1:{server.LocalEndPoint.Port}", "-i", "127.0.0.1", "-m", "1",
                "-nostdin", "-timeout", "30s", "-timeout_error", "-recv_timeout", "10000" },
            WorkingDirectory = workDir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"sipp is not installed or not on PATH (apt-get install sip-tester): {ex.Message}");
            return;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("sipp did not finish within 60 s");
            }

            var output = await stdout;
            var errors = await stderr;
            Assert.True(process.ExitCode == 0, $"sipp exited with {process.ExitCode}\nstderr:\n{errors}\nscreen:\n{Tail(output)}");
        }

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal("PCMU", call.Codec.EncodingName);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        var (dialogId, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal((call.DialogId, "caller", "bye"), (dialogId, endedBy, reason));
        workDir.Delete(recursive: true);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
