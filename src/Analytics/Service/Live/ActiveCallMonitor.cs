using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Live;

/// <summary>
/// Feeds the live page's streams from the store, not from this instance's memory, so that several instances sharing
/// one database and one queue show the same calls in progress whichever of them consumed the events. It reads the
/// active calls at once when this instance stored something (<see cref="Nudge"/>) and every
/// <see cref="AnalyticsOptions.ActiveCallRefreshInterval"/> for what the others stored, and tells the hub what
/// changed since the last read. Nothing is read while no page is open.
/// </summary>
internal sealed partial class ActiveCallMonitor(
    StoreQueries queries, LiveUpdateHub hub, IOptions<AnalyticsOptions> options, TimeProvider time, ILogger<ActiveCallMonitor> logger)
    : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<bool> _nudge = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private Dictionary<string, string> _shown = new(StringComparer.Ordinal);
    private long _latestWrite = -1;

    /// <summary>This instance stored an event: read the store now rather than at the next interval.</summary>
    public void Nudge() => _nudge.Writer.TryWrite(true);

    /// <summary>The calls in progress now, from the store (the endpoint and each stream's snapshot).</summary>
    public Task<IReadOnlyList<ActiveCallView>> ActiveCallsAsync(CancellationToken cancellationToken) =>
        queries.ActiveCallsAsync(time.GetUtcNow() - options.Value.ActiveCallIdleTimeout, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (hub.SubscriberCount > 0)
                {
                    await RefreshAsync(stoppingToken);
                }
            }
            catch (StoreUnavailableException ex)
            {
                // The pages keep what they show; the next read catches up.
                LogUnavailable(ex.Message);
            }

            using var interval = new CancellationTokenSource(options.Value.ActiveCallRefreshInterval, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
            try
            {
                await _nudge.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The interval passed without a nudge.
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var calls = await ActiveCallsAsync(cancellationToken);
        var latestWrite = await queries.LatestWriteAsync(cancellationToken);
        var current = calls.ToDictionary(c => c.CallId, c => JsonSerializer.Serialize(c, Json), StringComparer.Ordinal);
        var changed = false;
        foreach (var call in calls)
        {
            if (!_shown.TryGetValue(call.CallId, out var before) || before != current[call.CallId])
            {
                hub.CallChanged(call);
                changed = true;
            }
        }

        foreach (var callId in _shown.Keys.Where(id => !current.ContainsKey(id)))
        {
            hub.CallEnded(callId);
            changed = true;
        }

        _shown = current;
        // Any write may move the aggregates (a call that started and ended between two reads included).
        if (changed || latestWrite != _latestWrite)
        {
            hub.AggregatesChanged();
        }

        _latestWrite = latestWrite;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Active calls not refreshed: {Reason}")]
    private partial void LogUnavailable(string reason);
}
