using System.Globalization;
using System.Net;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Runs one deploy/sipp scenario as the caller against a server on loopback.</summary>
internal static class SippScenario
{
    /// <summary>Starts sipp for one call; await the task to get its exit code asserted as 0.</summary>
    public static async Task RunAsync(string fileName, IPEndPoint server, TimeSpan? limit = null, IEnumerable<string>? extraArguments = null)
    {
        var result = await SippRunner.RunAsync(
            ["-sf", SippRunner.Scenario(fileName), "127.0.0.1:" + server.Port.ToString(CultureInfo.InvariantCulture),
                "-i", "127.0.0.1", "-m", "1", "-timeout", "30s", "-timeout_error", "-recv_timeout", "10000", .. extraArguments ?? []],
            limit ?? TimeSpan.FromSeconds(45));
        Assert.True(result.ExitCode == 0, $"sipp {fileName} failed: {result.Describe()}");
    }
}
