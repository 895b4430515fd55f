using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace StepAudio.Telephony.Testing;

/// <summary>
/// Runs the reference tools the tests compare against (sox, espeak-ng, sipp). A missing tool fails the
/// test with a message naming the apt package, never a silent skip: scripts/setup.sh installs them all.
/// </summary>
public static class ExternalTool
{
    // Catches a hung tool, nothing else: a script of many sox/espeak-ng runs took over a minute at load average 40.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="tool"/> to completion; throws with its output unless it exits 0.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var result = RunAsync(tool, arguments, null, DefaultTimeout).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{tool} {string.Join(' ', arguments)}' failed: {result.Describe()}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Runs <paramref name="tool"/> and returns what happened, whatever its exit code; <paramref name="environment"/>
    /// adds or overrides variables of the tool's environment.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string tool,
        IEnumerable<string> arguments,
        string? workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{tool}' is required by this test but could not be started ({ex.Message}); " +
                $"install it with apt-get install {PackageOf(tool)}, or run scripts/setup.sh.", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        // The parameterless wait also drains the asynchronous output readers.
        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
            }
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string PackageOf(string tool) => Path.GetFileName(tool) switch
    {
        "sipp" => "sip-tester",
        "rabbitmqctl" => "rabbitmq-server",
        var name => name,
    };
}
