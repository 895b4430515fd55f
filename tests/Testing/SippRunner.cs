using System.Net;
using System.Net.NetworkInformation;

namespace StepAudio.Telephony.Testing;

/// <summary>
/// Runs the real sipp non-interactively in a temporary folder. sipp exits 0 only when every call followed
/// its scenario, which is what the tests assert.
/// </summary>
public static class SippRunner
{
    /// <summary>The path of a scenario from the repository's <c>deploy/sipp</c> folder.</summary>
    public static string Scenario(string fileName)
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

    /// <summary>
    /// Starts sipp with <paramref name="arguments"/> plus <c>-nostdin</c> (no terminal needed) and returns what
    /// happened. The process is started before this returns its task, so a caller may act while sipp runs.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        using var temp = workingDirectory is null ? new TempDirectory() : null;
        return await ExternalTool.RunAsync(
            "sipp",
            arguments.Append("-nostdin"),
            workingDirectory ?? temp!.Path,
            timeout ?? TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Waits until sipp (started by <see cref="RunAsync"/>) holds its SIP port on loopback, so a request sent next is not
    /// lost to a bind that has not happened yet. A test that counts what sipp received (retransmissions) needs this: on
    /// a busy machine sipp has taken over 600 ms to bind, and Timer A's first sends went nowhere. Fails with sipp's
    /// screens if it exits first.
    /// </summary>
    /// <exception cref="TimeoutException">sipp did not bind within <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilListeningAsync(Task<ProcessResult> run, int udpPort, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var giveUp = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!IsUdpBound(udpPort))
        {
            if (run.IsCompleted)
            {
                throw new InvalidOperationException($"sipp exited before binding UDP port {udpPort}: {(await run).Describe()}");
            }

            if (DateTime.UtcNow >= giveUp)
            {
                throw new TimeoutException($"sipp did not bind UDP port {udpPort} within {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds:0} s.");
            }

            await Task.Delay(10);
        }
    }

    private static bool IsUdpBound(int port) =>
        IPGlobalProperties.GetIPGlobalProperties().GetActiveUdpListeners()
            .Any(listener => listener.Port == port && (IPAddress.IsLoopback(listener.Address) || listener.Address.Equals(IPAddress.Any)));

    /// <summary>As <see cref="RunAsync"/>, and throws with sipp's screens unless it exited 0.</summary>
    public static async Task<ProcessResult> RunToSuccessAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(arguments, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("sipp " + string.Join(' ', arguments) + " failed: " + result.Describe());
        }

        return result;
    }
}
