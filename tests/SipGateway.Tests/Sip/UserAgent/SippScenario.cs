using System.Diagnostics;
using System.Net;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Runs one deploy/sipp scenario as the caller against a server on loopback; fails clearly if sipp is missing.</summary>
internal static class SippScenario
{
    public static string PathOf(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "sipp", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"deploy/sipp/{fileName} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Starts sipp for one call; await the task to get its exit code asserted as 0.</summary>
    public static async Task RunAsync(string fileName, IPEndPoint server, TimeSpan? limit = null)
    {
        var workDir = Directory.CreateTempSubdirectory("sipp-");
        var start = new ProcessStartInfo("sipp")
        {
            ArgumentList = { "-sf", PathOf(fileName), $"127.0.0.1:{server.Port}", "-i", "127.0.0.1", "-m", "1",
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
            using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(45));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"sipp {fileName} did not finish in time");
            }

            var output = await stdout;
            var errors = await stderr;
            var screen = output.Length <= 4000 ? output : output[^4000..];
            Assert.True(process.ExitCode == 0, $"sipp {fileName} exited with {process.ExitCode}\nstderr:\n{errors}\nscreen:\n{screen}");
        }

        workDir.Delete(recursive: true);
    }
}
