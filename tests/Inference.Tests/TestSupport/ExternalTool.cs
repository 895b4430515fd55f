using System.ComponentModel;
using System.Diagnostics;

namespace StepAudio.Telephony.Inference.Tests.TestSupport;

/// <summary>Runs reference tools (sox, espeak-ng) and fails the test with a clear message when one is missing or fails.</summary>
internal static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static void Run(string tool, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(startInfo);
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{tool}' is required by this test but could not be started ({e.Message}). Install it (apt-get install {PackageOf(tool)}).");
            return;
        }

        using (process)
        {
            Assert.NotNull(process);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"'{tool} {string.Join(' ', arguments)}' did not finish within {Timeout.TotalSeconds} s.");
            }

            if (process.ExitCode != 0)
            {
                Assert.Fail($"'{tool} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }
        }
    }

    private static string PackageOf(string tool) => tool == "espeak-ng" ? "espeak-ng" : tool;
}
