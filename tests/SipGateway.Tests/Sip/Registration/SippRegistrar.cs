using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Registration;

/// <summary>The real sipp running a deploy/sipp registrar scenario on a free loopback port.</summary>
internal sealed class SippRegistrar : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly DirectoryInfo _workDir;

    private SippRegistrar(Process process, DirectoryInfo workDir, int port)
    {
        _process = process;
        _workDir = workDir;
        Port = port;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    private string MessageFile => Path.Combine(_workDir.FullName, "messages.log");

    public static SippRegistrar Start(string scenario)
    {
        var scenarioPath = Path.Combine(FindRepositoryRoot(), "deploy", "sipp", scenario);
        Assert.True(File.Exists(scenarioPath), $"scenario {scenarioPath} not found");
        var port = FreeUdpPort();
        var workDir = Directory.CreateTempSubdirectory("sipp-reg-");
        var start = new ProcessStartInfo("sipp")
        {
            // -nostdin: no keyboard handling without a TTY. sipp exits 0 only if the scenario ran to its end.
            ArgumentList = { "-sf", scenarioPath, "-i", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-m", "1", "-nostdin", "-timeout", "40s", "-timeout_error", "-trace_msg", "-message_file", Path.Combine(workDir.FullName, "messages.log"),
                "-trace_logs", "-log_file", Path.Combine(workDir.FullName, "actions.log") },
            WorkingDirectory = workDir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };

        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
            return new SippRegistrar(process, workDir, port);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"sipp is not installed or not on PATH (apt-get install sip-tester): {ex.Message}");
            throw;
        }
    }

    /// <summary>Waits for sipp to end; returns its exit code and what it logged (messages, errors, screen tail).</summary>
    public async Task<(int ExitCode, string Messages, string Diagnostics)> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        var output = await _stdout;
        var messages = File.Exists(MessageFile) ? await File.ReadAllTextAsync(MessageFile) : string.Empty;
        var actionsFile = Path.Combine(_workDir.FullName, "actions.log");
        var actions = File.Exists(actionsFile) ? await File.ReadAllTextAsync(actionsFile) : string.Empty;
        var diagnostics = $"exit {_process.ExitCode}\nstderr:\n{await _stderr}\nscreen:\n{(output.Length <= 3000 ? output : output[^3000..])}\nactions:\n{actions}\nmessages:\n{messages}";
        return (_process.ExitCode, messages, diagnostics);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        _workDir.Delete(recursive: true);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "deploy", "sipp")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("deploy/sipp not found above " + AppContext.BaseDirectory);
    }
}
