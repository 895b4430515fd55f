using System.Globalization;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the real sipp against the gateway, non-interactively, and returns its exit code and screens.</summary>
internal static class Sipp
{
    /// <summary>
    /// Places <paramref name="calls"/> calls with <paramref name="scenario"/> (a built-in name such as <c>uac</c>,
    /// or a path to an XML scenario). sipp exits 0 only when every call followed the scenario.
    /// </summary>
    public static Task<ProcessResult> CallAsync(
        int gatewayPort,
        string scenario,
        string workingDirectory,
        int calls = 1,
        TimeSpan? pause = null,
        IEnumerable<string>? extraArguments = null)
    {
        var arguments = new List<string>
        {
            "127.0.0.1:" + gatewayPort.ToString(CultureInfo.InvariantCulture),
            "-i", "127.0.0.1",
            "-s", "gateway",
            "-m", calls.ToString(CultureInfo.InvariantCulture),
            "-timeout", "60s",
            "-timeout_error",
            "-max_recv_loops", "1000",
            "-d", ((int)(pause ?? TimeSpan.FromMilliseconds(500)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (File.Exists(scenario))
        {
            arguments.Add("-sf");
        }
        else
        {
            arguments.Add("-sn");
        }

        arguments.Add(scenario);
        arguments.AddRange(extraArguments ?? []);
        return SippRunner.RunAsync(arguments, TimeSpan.FromSeconds(90), workingDirectory);
    }
}
