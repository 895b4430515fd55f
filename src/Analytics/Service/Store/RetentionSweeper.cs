using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.Analytics.Service.Store;

/// <summary>Deletes calls older than <see cref="StoreOptions.Retention"/> (with their events) now and then.</summary>
internal sealed partial class RetentionSweeper(
    EventStore store, IOptions<StoreOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        do
        {
            try
            {
                var deleted = await store.SweepAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogSwept(deleted, options.Value.Retention);
                }
            }
            catch (StoreUnavailableException ex)
            {
                // The next tick tries again; the events' consumer reports the outage loudly enough.
                LogSweepFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Calls} calls older than {Retention}")]
    private partial void LogSwept(int calls, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep skipped: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
