using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.Analytics.Tests.Outage;

/// <summary>
/// A RabbitMQ node of the test's own, so outage tests can stop and start a broker without touching the
/// shared one on 5672. Everything (data, logs, Erlang cookie, config) lives in a temporary folder; the node
/// runs as the test's user through the server script the package's root wrapper would otherwise call via su.
/// </summary>
internal sealed class PrivateRabbitMqNode : IAsyncDisposable
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string ControlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    // An Erlang node and each rabbitmqctl (an Erlang VM of its own) start in seconds on a quiet machine; on a loaded one a
    // node took over a minute (the node was still booting when 60 s ran out). Bounds only catch a node that never starts.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _serverOutput = new();
    private Process? _server;

    private PrivateRabbitMqNode(string directory, int port, int distributionPort, string? cookie)
    {
        _directory = directory;
        if (cookie is not null)
        {
            // Nodes of one cluster share an Erlang cookie: this cluster's own, never the system's (~/.erlang.cookie).
            var cookieFile = Path.Combine(directory, ".erlang.cookie");
            File.WriteAllText(cookieFile, cookie);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead); // Erlang refuses a cookie others can read
            }
        }

        Port = port;
        NodeName = $"stepaudio-outage-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}@localhost";
        // An empty env file and config keep /etc/rabbitmq (the shared broker's port and addresses) out of this node.
        File.WriteAllText(Path.Combine(directory, "rabbitmq-env.conf"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
        _environment = new Dictionary<string, string>
        {
            // The Erlang cookie is read from (and first created in) HOME; server and CLI must share it.
            ["HOME"] = directory,
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };
    }

    public int Port { get; }

    public string NodeName { get; }

    /// <summary>Starts the node and waits until it accepts AMQP; fails the test (never skips) when it cannot.</summary>
    /// <param name="cookie">The Erlang cookie, shared by the nodes of one cluster; null: a fresh one of the node's own.</param>
    public static async Task<PrivateRabbitMqNode> StartAsync(string? cookie = null)
    {
        if (!File.Exists(ServerScript) || !File.Exists(ControlScript))
        {
            Assert.Fail($"RabbitMQ server scripts not found at {ServerScript}; install rabbitmq-server (scripts/setup.sh).");
        }

        var port = FreePort.Tcp();
        var node = new PrivateRabbitMqNode(Directory.CreateTempSubdirectory("stepaudio-rabbitmq-").FullName, port, FreePort.Tcp(port), cookie);
        try
        {
            await node.StartServerAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Makes this node a member of <paramref name="seed"/>'s cluster (its own data is reset).</summary>
    public async Task JoinClusterAsync(PrivateRabbitMqNode seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        await ControlAsync(ControlTimeout, "stop_app");
        await ControlAsync(ControlTimeout, "reset");
        await ControlAsync(ControlTimeout, "join_cluster", seed.NodeName);
        await ControlAsync(ControlTimeout, "start_app");
    }

    /// <summary>rabbitmqctl on this node; its output, failing the test on a non-zero exit.</summary>
    public Task<string> QueryAsync(params string[] arguments) => ControlAsync(ControlTimeout, arguments);

    /// <summary>Stops the RabbitMQ application (connections drop, durable queues and persistent messages stay).</summary>
    public Task StopAppAsync() => ControlAsync(ControlTimeout, "stop_app");

    public Task StartAppAsync() => ControlAsync(ControlTimeout, "start_app");

    /// <summary>Halts the whole Erlang node, as a broker host going down would; its data folder is kept.</summary>
    public async Task StopNodeAsync()
    {
        await ControlAsync(ControlTimeout, "stop");
        using var exited = new CancellationTokenSource(ControlTimeout);
        await _server!.WaitForExitAsync(exited.Token);
        _server.Dispose();
        _server = null;
    }

    /// <summary>Starts the node again on the same data (durable queues and persistent messages come back).</summary>
    public Task StartNodeAsync() => StartServerAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            try
            {
                if (!_server.HasExited)
                {
                    await RunControlAsync(TimeSpan.FromSeconds(60), "stop");
                }

                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _server.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
            }
            finally
            {
                _server.Dispose();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartServerAsync()
    {
        var start = new ProcessStartInfo(ServerScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start");
        _server.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        _server.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        // await_startup fails at once while the node is not yet registered with epmd, so poll it.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (exitCode, output) = await RunControlAsync(TimeSpan.FromSeconds(60), "await_startup", "--timeout", "30");
            if (exitCode == 0)
            {
                return;
            }

            if (_server.HasExited || deadline.Elapsed > StartTimeout)
            {
                Assert.Fail($"private RabbitMQ node {NodeName} did not start within {StartTimeout.TotalSeconds} s "
                    + $"(server {(_server.HasExited ? "exited" : "still running")}).\nrabbitmqctl: {output}\nserver: {ServerOutput()}");
            }

            await Task.Delay(500);
        }
    }

    private async Task<string> ControlAsync(TimeSpan timeout, params string[] command)
    {
        var (exitCode, output) = await RunControlAsync(timeout, command);
        if (exitCode != 0)
        {
            Assert.Fail($"rabbitmqctl {string.Join(' ', command)} on {NodeName} failed ({exitCode}): {output}");
        }

        return output;
    }

    private async Task<(int ExitCode, string Output)> RunControlAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await ExternalTool.RunAsync(ControlScript, ["-n", NodeName, .. arguments], _directory, timeout, _environment);
        return result.TimedOut
            ? (-1, $"timed out after {timeout}: {result.StandardOutput}{result.StandardError}")
            : (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_serverOutput)
        {
            _serverOutput.AppendLine(line);
        }
    }

    private string ServerOutput()
    {
        lock (_serverOutput)
        {
            return _serverOutput.ToString();
        }
    }
}
