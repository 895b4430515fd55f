using System.ComponentModel;
using System.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Tests.TestSupport;

/// <summary>Runs the SoX command-line tool, the reference for audio format conversions in tests.</summary>
internal static class SoxRunner
{
    /// <summary>Runs <c>sox</c> with the given arguments and fails the test with sox's stderr if it fails.</summary>
    public static void Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("sox")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("sox did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "This test needs the 'sox' executable on PATH (Debian/Ubuntu: apt-get install sox).", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException("sox did not finish within 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"sox {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
            }
        }
    }

    /// <summary>A temporary directory removed on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = Directory.CreateTempSubdirectory("stepaudio-sox-").FullName;
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory must not fail a test.
            }
        }
    }
}
