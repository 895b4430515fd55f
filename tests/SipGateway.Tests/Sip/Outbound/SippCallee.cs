using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Outbound;

/// <summary>
/// The real sipp as the called party on free loopback ports. <see cref="StartAsync"/> returns once sipp holds its SIP
/// port, so every request the test sends (and every retransmission it counts) reaches it.
/// </summary>
internal sealed class SippCallee : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly Task<ProcessResult> _run;

    private SippCallee(TempDirectory directory, Task<ProcessResult> run, IPEndPoint endPoint, int mediaPort)
    {
        _directory = directory;
        _run = run;
        EndPoint = endPoint;
        MediaPort = mediaPort;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The port sipp writes into its SDP (<c>[media_port]</c>), chosen here so tests can check the answer.</summary>
    public int MediaPort { get; }

    /// <summary>Everything sipp sent and received (-trace_msg).</summary>
    public string Messages => File.Exists(_directory.File("messages.log")) ? File.ReadAllText(_directory.File("messages.log")) : string.Empty;

    /// <summary>Starts sipp with a scenario from deploy/sipp, or with "uas" for its built-in one, and waits for its bind.</summary>
    public static async Task<SippCallee> StartAsync(string scenario)
    {
        var directory = new TempDirectory();
        var port = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var mediaPort = StepAudio.Telephony.Testing.FreePort.UdpRange(4, port); // -mp to -mp+3, clear of the SIP port
        string[] source = scenario == "uas" ? ["-sn", "uas"] : ["-sf", SippRunner.Scenario(scenario)];
        var run = SippRunner.RunAsync(
            [.. source, "-i", "127.0.0.1", "-p", Format(port), "-mp", Format(mediaPort), "-m", "1",
                "-timeout", "20s", "-timeout_error", "-trace_msg", "-message_file", directory.File("messages.log")],
            TimeSpan.FromSeconds(30),
            directory.Path);
        await SippRunner.WaitUntilListeningAsync(run, port);
        return new SippCallee(directory, run, new IPEndPoint(IPAddress.Loopback, port), mediaPort);
    }

    /// <summary>Waits for sipp and fails with its screens and message trace unless the scenario completed (exit 0).</summary>
    public async Task AssertCompletedAsync()
    {
        var result = await _run;
        Assert.True(result.ExitCode == 0, $"sipp did not complete its scenario: {result.Describe()}\nmessages:\n{Messages}");
    }

    public async Task<ProcessResult> WaitAsync() => await _run;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _run;
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private static string Format(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
