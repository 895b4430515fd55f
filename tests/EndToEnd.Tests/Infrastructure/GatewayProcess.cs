using System.Diagnostics;
using System.Text;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real gateway executable, started as its own process on loopback with its settings given as
/// environment variables, exactly as an operator would override appsettings.json.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _ownedOutbox;

    private const string OutboxSetting = "Publishing__Outbox__Directory";

    private GatewayProcess(Process process, int sipPort, int metricsPort, int healthPort)
    {
        _process = process;
        // Each gateway gets its own outbox unless the test names one: a shared folder would hand one test's
        // undelivered events to the next gateway, and two live gateways cannot hold the same outbox.
        if (!process.StartInfo.Environment.ContainsKey(OutboxSetting))
        {
            _ownedOutbox = Directory.CreateTempSubdirectory("stepaudio-e2e-outbox-").FullName;
            process.StartInfo.Environment[OutboxSetting] = _ownedOutbox;
        }

        SipPort = sipPort;
        MetricsPort = metricsPort;
        HealthPort = healthPort;
    }

    public int SipPort { get; }

    public int MetricsPort { get; }

    /// <summary>Port of /healthz and /readyz.</summary>
    public int HealthPort { get; }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        // A free port is found by binding and releasing it, so another process (a test's RTP socket, sipp, a parallel
        // suite) can take it before the gateway binds: that start fails with EADDRINUSE and is tried on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(settings);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<GatewayProcess> StartOnceAsync(IReadOnlyDictionary<string, string>? settings)
    {
        // The gateway listens on its SIP port over UDP and TCP, and on two more TCP ports: all free, all different.
        var sipPort = FreePort.UdpAndTcp();
        var metricsPort = FreePort.Tcp(sipPort);
        var healthPort = FreePort.Tcp(sipPort, metricsPort);
        var start = CreateStartInfo(sipPort, metricsPort, settings);
        start.Environment["Health__Port"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var gateway = new GatewayProcess(process, sipPort, metricsPort, healthPort);
        process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.Exited += (_, _) => gateway._listening.TrySetException(
            new InvalidOperationException("Gateway exited during start-up:\n" + gateway.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Task.WhenAny(gateway._listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != gateway._listening.Task)
        {
            await gateway.DisposeAsync();
            throw new TimeoutException("Gateway did not report 'SIP listening' within 60 s:\n" + gateway.Output);
        }

        if (gateway._listening.Task.IsFaulted)
        {
            await gateway.DisposeAsync(); // the process has exited; this only releases its outbox folder
        }

        await gateway._listening.Task;
        return gateway;
    }

    /// <summary>Starts a gateway that is expected to refuse to start, and returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = CreateStartInfo(FreePort.Udp(), FreePort.Tcp(), settings);
        start.Environment["Health__Port"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "still running after " + timeout + ":\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo CreateStartInfo(int sipPort, int metricsPort, IReadOnlyDictionary<string, string>? settings)
    {
        if (!File.Exists(RepositoryPaths.GatewayDll))
        {
            throw new InvalidOperationException($"Gateway not built at {RepositoryPaths.GatewayDll}; build the solution first.");
        }

        if (!File.Exists(RepositoryPaths.VadModel))
        {
            throw new InvalidOperationException($"VAD model missing at {RepositoryPaths.VadModel}; run scripts/fetch-vad-model.sh.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.GatewayDirectory,
        };
        start.ArgumentList.Add(RepositoryPaths.GatewayDll);
        start.Environment["Sip__ListenAddress"] = "127.0.0.1";
        start.Environment["Sip__PublicAddress"] = "127.0.0.1";
        start.Environment["Sip__Port"] = sipPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Rtp__BindAddress"] = "127.0.0.1";
        start.Environment["Vad__ModelPath"] = RepositoryPaths.VadModel;
        start.Environment["Metrics__Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__Console__FormatterName"] = "simple";
        // A test that stops a gateway with calls still up should not wait the production drain (30 s) first.
        start.Environment["Drain__Timeout"] = "00:00:05";
        // VAD windows more than Vad:MaxLagMs (500 ms) behind are given up as non-speech. A loaded test machine can stall
        // the inference thread that long, which would cut or split the caller's speech; no test here is about that
        // bound (Inference.Tests are), so a stall only delays the windows.
        start.Environment["Vad__MaxLagMs"] = "10000";
        // A call's end waits Analysis:DrainTimeout (2 s) for its segments' analyses, then publishes CallEnded without
        // them; tests check that every segment's emotion comes before CallEnded, which a loaded machine must only delay.
        start.Environment["Analysis__DrainTimeout"] = "00:00:20";
        // The analysis thread runs at nice +10 by default (Analysis:WorkerNice), giving way to every busier thread: on a
        // loaded test machine it could then wait past those bounds (or a flow's TurnAnalysisWait). No test here is about
        // that priority (CallEngine.Tests and the load script are), so it runs at the test machine's normal priority.
        start.Environment["Analysis__WorkerNice"] = "0";
        // The overload guard (Admission:OverloadGuard, on in production) refuses new calls with 503 while the inference
        // backlog passes 250 ms: a loaded test machine can stall this process that long, and a test's second call would
        // then be refused. No test here is about that guard (SipGateway.Tests' Calls/Admission are, on a manual clock).
        start.Environment["Admission__OverloadGuard"] = "false";

        // Tests about the spine expect the greeting; flow tests switch flows on with their own directory.
        start.Environment["CallFlow__Enabled"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Asks the gateway to stop as an operator would (SIGTERM) and waits for it.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, TimeSpan.FromSeconds(5));
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
                return -1;
            }
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once: the gateway drains while the test watches.</summary>
    public Task SignalTerminateAsync() =>
        ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, TimeSpan.FromSeconds(5));

    /// <summary>Waits for the process to exit by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the gateway without warning (SIGKILL on Linux): no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            _process.Dispose();
            if (_ownedOutbox is not null)
            {
                Directory.Delete(_ownedOutbox, recursive: true);
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("SIP listening", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
