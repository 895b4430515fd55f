using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Hosting;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Store;

namespace StepAudio.Telephony.Analytics.Service.Live;

/// <summary>
/// Serves <c>GET /api/stream</c> as server-sent events (HTML Living Standard §9.2): a <c>snapshot</c> first, then
/// <c>call</c>, <c>ended</c> and <c>aggregates</c> events at most once per coalescing interval, and a comment line
/// as heartbeat. Every event has an increasing <c>id</c> so the page can show how far it has read.
/// </summary>
internal sealed class EventStreamWriter(
    ActiveCallMonitor monitor, LiveUpdateHub hub, StoreQueries queries, AggregateWindow window, IOptions<AnalyticsOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Subscribe before the snapshot: a change in between is then sent twice (harmless, states are whole), never lost.
        using var subscription = hub.Subscribe();
        long id = 0;
        try
        {
            await WriteEventAsync(response, ++id, "snapshot",
                new { activeCalls = await ActiveCallsAsync(aborted) ?? [], aggregates = await AggregatesAsync(aborted) ?? [] }, aborted);
            var settings = options.Value;
            while (!aborted.IsCancellationRequested)
            {
                if (!await subscription.WaitAsync(settings.StreamHeartbeatInterval, aborted))
                {
                    await response.WriteAsync(": heartbeat\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                var pending = subscription.Take();
                foreach (var call in pending.Changed)
                {
                    await WriteEventAsync(response, ++id, "call", call, aborted);
                }

                foreach (var callId in pending.Ended)
                {
                    await WriteEventAsync(response, ++id, "ended", new { callId }, aborted);
                }

                if (pending.AggregatesChanged && await AggregatesAsync(aborted) is { } rows)
                {
                    await WriteEventAsync(response, ++id, "aggregates", rows, aborted);
                }

                // Changes arriving meanwhile accumulate in the subscription and go out together.
                await Task.Delay(settings.StreamCoalesceInterval, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    /// <summary>The calls in progress from the store; null while it is unavailable.</summary>
    private async Task<IReadOnlyList<ActiveCallView>?> ActiveCallsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await monitor.ActiveCallsAsync(cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The aggregates from the store; null while it is unavailable (the page keeps what it shows).</summary>
    private async Task<IReadOnlyList<AggregateRow>?> AggregatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await queries.AggregatesAsync(window.LiveQuery(), cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            return null;
        }
    }

    private static async Task WriteEventAsync<T>(HttpResponse response, long id, string name, T data, CancellationToken cancellationToken)
    {
        // JSON never contains a raw newline, so each payload is one data line.
        var payload = JsonSerializer.Serialize(data, Json);
        await response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {name}\ndata: {payload}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
