using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Web;

/// <summary>The JSON and event-stream endpoints of the real service on a loopback port.</summary>
public sealed class HttpApiTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Aggregates_and_active_calls_are_served_as_JSON_with_filters()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
        var done = new Events("done", hour.AddMinutes(1));
        var live = new Events("live", hour.AddMinutes(2));
        await service.FeedAsync(done.Started("sales"), done.Ended(30, flow: "sales"), live.Started("billing"), live.Emotion("Angry", 0.8));

        var sales = await http.GetFromJsonAsync<AggregateRow[]>("/api/aggregates?flow=sales", WebJson);
        var row = Assert.Single(sales!);
        Assert.Equal(("sales", hour, 1L, 1L, 1L), (row.Flow, row.Hour, row.CallsStarted, row.CallsEnded, row.Outcomes.Completed));
        Assert.Empty((await http.GetFromJsonAsync<AggregateRow[]>(
            $"/api/aggregates?to={Uri.EscapeDataString(hour.ToString("O"))}", WebJson))!);
        Assert.Equal(2, (await http.GetFromJsonAsync<AggregateRow[]>(
            $"/api/aggregates?from={Uri.EscapeDataString(hour.ToString("O"))}", WebJson))!.Length);

        var active = Assert.Single((await http.GetFromJsonAsync<ActiveCallView[]>("/api/calls/active", WebJson))!);
        Assert.Equal(("live", "Angry"), (active.CallId, active.Emotion));

        var bad = await http.GetAsync("/api/aggregates?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task The_page_is_one_HTML_document_whose_own_scripts_open_the_event_stream()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        // Nothing is fetched from elsewhere: every script is the service's own.
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal).Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var script in new[] { "charts.js", "timeline.js", "page.js" })
        {
            Assert.Contains($"<script src=\"{script}\"></script>", html, StringComparison.Ordinal);
            using var js = await http.GetAsync(new Uri("/" + script, UriKind.Relative));
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        }

        Assert.Contains("new EventSource(\"api/stream\")", await http.GetStringAsync(new Uri("/page.js", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stream_starts_with_a_snapshot_then_sends_call_ended_and_aggregates_events()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
        var first = new Events("first", hour.AddMinutes(1));
        await service.FeedAsync(first.Started("sales"));

        using var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync());
        var snapshot = await reader.ReadUntilAsync("snapshot", _ => true, TimeSpan.FromSeconds(30));
        using (var document = JsonDocument.Parse(snapshot.Data))
        {
            Assert.Equal("first", document.RootElement.GetProperty("activeCalls")[0].GetProperty("callId").GetString());
            Assert.Equal(1, document.RootElement.GetProperty("aggregates")[0].GetProperty("callsStarted").GetInt32());
        }

        await service.FeedAsync(first.Frustration(0.75, "high"));
        var call = await reader.ReadUntilAsync("call", e => e.Data.Contains("\"high\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var view = JsonSerializer.Deserialize<ActiveCallView>(call.Data, WebJson)!;
        Assert.Equal(("first", 0.75), (view.CallId, view.Frustration));

        await service.FeedAsync(first.Ended(45, flow: "sales"));
        var ended = await reader.ReadUntilAsync("ended", _ => true, TimeSpan.FromSeconds(30));
        Assert.Contains("\"callId\":\"first\"", ended.Data, StringComparison.Ordinal);
        var aggregates = await reader.ReadUntilAsync(
            "aggregates", e => JsonSerializer.Deserialize<AggregateRow[]>(e.Data, WebJson)![0].CallsEnded == 1, TimeSpan.FromSeconds(30));
        Assert.True(long.Parse(aggregates.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(snapshot.Id!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Many_changes_in_quick_succession_are_coalesced_into_the_latest_state()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var call = new Events("busy", AggregateWindow.HourOf(DateTimeOffset.UtcNow).AddMinutes(1));
        await service.FeedAsync(call.Started());

        using var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
        var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadUntilAsync("snapshot", _ => true, TimeSpan.FromSeconds(30));
        var updates = 0;
        for (var i = 1; i <= 200; i++)
        {
            await service.FeedAsync(call.Frustration(i / 200.0, "elevated"));
        }

        while (true)
        {
            var next = await reader.ReadUntilAsync("call", _ => true, TimeSpan.FromSeconds(30));
            updates++;
            if (JsonSerializer.Deserialize<ActiveCallView>(next.Data, WebJson)!.Frustration == 1.0)
            {
                break;
            }
        }

        // 200 changes within a few milliseconds reach the browser as far fewer whole states, the last one exact.
        Assert.InRange(updates, 1, 100);
    }

    [Fact]
    public async Task An_idle_stream_carries_comment_heartbeats_that_EventSource_ignores()
    {
        await using var service = await RunningService.StartAsync(
            overrides: new Dictionary<string, string?> { ["Analytics:StreamHeartbeatInterval"] = "00:00:00.100" });
        using var http = new HttpClient { BaseAddress = service.Address };
        using var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead);
        var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadUntilAsync("snapshot", _ => true, TimeSpan.FromSeconds(30));

        // The next event only comes after the idle period, so the heartbeats have been read past by then.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var call = new Events("after-idle", AggregateWindow.HourOf(DateTimeOffset.UtcNow).AddMinutes(1));
        await service.FeedAsync(call.Started());
        await reader.ReadUntilAsync("call", _ => true, TimeSpan.FromSeconds(30));
        Assert.True(reader.CommentsSeen >= 2, $"expected heartbeat comments while idle, saw {reader.CommentsSeen}");
    }
}
