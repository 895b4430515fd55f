using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>sipp as the security tests run it: from loopback, on a free local port (two run at once), with a time limit.</summary>
internal static class SippProcess
{
    public static string Scenario(string name) => SippRunner.Scenario(name);

    /// <summary>Runs sipp with <paramref name="arguments"/>; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var result = await SippRunner.RunAsync(
            [.. arguments, "-i", "127.0.0.1", "-p", FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-timeout", "60s", "-timeout_error"]);
        return (result.ExitCode, result.Describe());
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
