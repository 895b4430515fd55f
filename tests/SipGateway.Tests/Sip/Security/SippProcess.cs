using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>Runs sipp to completion; fails the test with a clear message when sipp is not installed.</summary>
internal static class SippProcess
{
    public static string Scenario(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "deploy", "sipp", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"deploy/sipp/{name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>A UDP port free right now, for sipp's -p (its default 5060 may be taken by another sipp).</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Runs sipp with <paramref name="arguments"/> (-nostdin and a local port added); returns exit code and screen.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var workDir = Directory.CreateTempSubdirectory("sipp-sec-");
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

        foreach (var argument in new[] { "-nostdin", "-i", "127.0.0.1", "-p", FreeUdpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "-timeout", "60s", "-timeout_error" })
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
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("sipp did not finish within 90 s");
            }

            var output = (await stdout) + "\nstderr:\n" + (await stderr);
            workDir.Delete(recursive: true);
            return (process.ExitCode, output.Length <= 4000 ? output : output[^4000..]);
        }
    }
}
