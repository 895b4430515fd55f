using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Analytics.Consumer.CommandLine;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;

namespace StepAudio.Telephony.Analytics.Consumer.Lifetime;

/// <summary>Stops the program after N CallEnded events (exit 0) or when the timeout passes first (exit 1).</summary>
internal sealed partial class ExitCoordinator : BackgroundService
{
    private readonly ConsumerArguments _arguments;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ExitCoordinator> _logger;
    private int _callsEnded;
    private int _exitCode;
    private int _decided;

    public ExitCoordinator(ConsumerArguments arguments, IHostApplicationLifetime lifetime, ILogger<ExitCoordinator> logger)
    {
        _arguments = arguments;
        _lifetime = lifetime;
        _logger = logger;
    }

    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Printed(ICallEvent callEvent)
    {
        if (callEvent is not CallEnded || _arguments.ExitAfterCallEnded is not { } target)
        {
            return;
        }

        if (Interlocked.Increment(ref _callsEnded) == target)
        {
            Decide(0, $"printed {target} CallEnded event(s)");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_arguments.Timeout is not { } timeout)
        {
            return;
        }

        try
        {
            await Task.Delay(timeout, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Decide(1, $"timeout of {timeout.TotalSeconds} s passed");
    }

    private void Decide(int exitCode, string reason)
    {
        if (Interlocked.Exchange(ref _decided, 1) != 0)
        {
            return; // first decision wins: a timeout racing the last CallEnded must not turn success into failure
        }

        Volatile.Write(ref _exitCode, exitCode);
        if (exitCode == 0)
        {
            LogDone(_logger, reason);
        }
        else
        {
            LogFailed(_logger, reason);
        }

        _lifetime.StopApplication();
    }

    [LoggerMessage(1, LogLevel.Information, "Stopping: {Reason}")]
    private static partial void LogDone(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "Stopping: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
