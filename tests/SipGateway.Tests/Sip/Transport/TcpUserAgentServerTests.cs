using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

/// <summary>The UAS over TCP: responses on the request's connection, and real sipp calls with -t t1.</summary>
public sealed class TcpUserAgentServerTests
{
    private static readonly string ScenarioFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../deploy/sipp"));

    [Fact]
    public async Task Answers_options_on_the_same_tcp_connection()
    {
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();

        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(server.LocalEndPoint);
        const string options = "OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp1\r\n" +
            "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:gw@127.0.0.1>\r\nCall-ID: tcp-options-1\r\nCSeq: 7 OPTIONS\r\n" +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(options));

        var response = await ReadHeaderAsync(client.GetStream());
        Assert.StartsWith("SIP/2.0 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp1", response, StringComparison.Ordinal);
        Assert.Contains("CSeq: 7 OPTIONS\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sipp_uac_over_tcp_completes_a_call()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        await RunSippAsync(["-t", "t1", "-sn", "uac", $"127.0.0.1:{server.LocalEndPoint.Port}"], sippRunning: null);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.Equal((call.DialogId, "caller", "bye"), await TestCallHandler.NextAsync(handler.Terminated));
    }

    [Fact]
    public async Task Gateway_bye_reaches_a_tcp_caller_over_the_dialog_connection()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        var scenario = Path.Combine(ScenarioFolder, "uac_gateway_hangup.xml");
        await RunSippAsync(["-t", "t1", "-sf", scenario, $"127.0.0.1:{server.LocalEndPoint.Port}"], async () =>
        {
            var dialogId = await TestCallHandler.NextAsync(handler.Confirmed, 20_000);
            await server.HangUpAsync(dialogId, CancellationToken.None);
        });

        var (_, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal(("gateway", "hangup"), (endedBy, reason));
    }

    /// <summary>Runs sipp for one call; it exits 0 only if every step of the scenario happened.</summary>
    private static async Task RunSippAsync(string[] arguments, Func<Task>? sippRunning)
    {
        var workDir = Directory.CreateTempSubdirectory("sipp-tcp-");
        var start = new ProcessStartInfo("sipp")
        {
            WorkingDirectory = workDir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "-i", "127.0.0.1", "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error", "-recv_timeout", "20000" })
        {
            start.ArgumentList.Add(argument);
        }

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
            if (sippRunning is not null)
            {
                await sippRunning();
            }

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
            Assert.True(process.ExitCode == 0, $"sipp exited with {process.ExitCode}\nstderr:\n{await stderr}\nscreen:\n{(output.Length <= 4000 ? output : output[^4000..])}");
        }

        workDir.Delete(recursive: true);
    }

    private static async Task<string> ReadHeaderAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the connection closed before a response arrived");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
