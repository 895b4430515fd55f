using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Web;

/// <summary>The live page rendered by a real headless Chromium against the real service.</summary>
public sealed class LivePageChromiumTests
{
    [Fact]
    public async Task The_page_shows_active_calls_and_aggregates_and_follows_updates_pushed_after_it_loaded()
    {
        await using var service = await RunningService.StartAsync();
        var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow);
        var angry = new Events("call-angry", hour.AddMinutes(1));
        var done = new Events("call-done", hour.AddMinutes(2));
        await service.FeedAsync(
            angry.Started("billing", "sip:+4930555123456@trunk.example"), angry.Emotion("Angry", 0.81),
            angry.Frustration(0.62, "elevated"),
            done.Started("billing"), done.Ended(90, "completed", flow: "billing"));

        await using var browser = await HeadlessChromium.OpenAsync(service.Address);
        var html = await browser.WaitForDomAsync(
            h => h.Contains("id=\"call-call-angry\"", StringComparison.Ordinal), TimeSpan.FromSeconds(120), "the active call");

        var row = RowOf(html, "call-call-angry");
        Assert.Contains("Angry (0.81)", row, StringComparison.Ordinal);
        Assert.Contains("data-score=\"0.62\"", row, StringComparison.Ordinal);
        Assert.Contains("width: 62%", row, StringComparison.Ordinal);
        Assert.Contains("0.62 elevated", row, StringComparison.Ordinal);
        // The caller's number is masked before it reaches the page.
        Assert.Contains("3456", row, StringComparison.Ordinal);
        Assert.DoesNotContain("4930555", html, StringComparison.Ordinal);
        Assert.DoesNotContain("call-call-done", html, StringComparison.Ordinal);
        var aggregates = AggregatesRow(html, "billing");
        Assert.Contains("<td class=\"started num\">2</td><td class=\"ended num\">1</td><td class=\"outcomes\" data-completed=\"1\" data-transferred=\"0\"", aggregates, StringComparison.Ordinal);

        // Only the event stream can bring these to a page that has already loaded.
        await Eventually.TrueAsync(() => service.Hub.SubscriberCount > 0, TimeSpan.FromSeconds(120)); // the browser's EventSource connecting
        var lastEventIdBefore = LastEventId(html);
        await service.FeedAsync(angry.Frustration(0.93, "high", at: 8), angry.Transferred(at: 9));
        var fresh = new Events("call-new", hour.AddMinutes(3));
        await service.FeedAsync(fresh.Started("sales"), fresh.Emotion("Happy", 0.66));

        html = await browser.WaitForDomAsync(
            h => h.Contains("0.93 high", StringComparison.Ordinal)
                && h.Contains("Happy (0.66)", StringComparison.Ordinal)
                && h.Contains("<tr data-flow=\"sales\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120),
            "the updates pushed after load");
        Assert.Contains("class=\"bar high\"", RowOf(html, "call-call-angry"), StringComparison.Ordinal);
        Assert.Contains("sales", AggregatesRow(html, "sales"), StringComparison.Ordinal);
        Assert.True(LastEventId(html) > lastEventIdBefore, "the page should record the id of the last server-sent event it applied");

        await service.FeedAsync(angry.Ended(120, "transferred", peakFrustration: 0.93));
        await browser.WaitForDomAsync(
            h => !h.Contains("id=\"call-call-angry\"", StringComparison.Ordinal), TimeSpan.FromSeconds(120), "the ended call removed");
    }

    private static string RowOf(string html, string rowId)
    {
        var start = html.IndexOf($"<tr id=\"{rowId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {rowId} in:\n{html}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string AggregatesRow(string html, string flow)
    {
        var start = html.IndexOf($"<tr data-flow=\"{flow}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no aggregates row for {flow} in:\n{html}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static long LastEventId(string html)
    {
        const string marker = "data-last-event-id=\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return long.Parse(html[start..html.IndexOf('"', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
