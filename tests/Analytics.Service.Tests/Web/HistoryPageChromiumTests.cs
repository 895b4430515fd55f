using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Service.Tests.Consuming;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Web;

/// <summary>
/// The page as an analyst uses it, in a real headless Chromium at 1,400 px, against the service fed through the real
/// RabbitMQ: the live tables fit, the call list filters, a call's detail draws its timeline, trends draw charts.
/// Screenshots land in <c>screenshots/</c> next to the test assembly, to be looked at.
/// </summary>
public sealed class HistoryPageChromiumTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120); // a browser on a loaded machine

    [Fact]
    public async Task An_analyst_searches_calls_opens_one_and_reads_its_timeline_and_the_trends()
    {
        await RabbitMqBroker.RequireReachableAsync();
        var flow = "claims-" + Guid.NewGuid().ToString("N")[..6];
        await using var service = await RunningService.StartAsync(RabbitMqBroker.UniqueQueueName("page"));
        await Eventually.TrueAsync(() => service.ConsumerReady, TimeSpan.FromSeconds(120));
        var publisher = await RabbitMqBroker.StartPublisherAsync();
        var (events, angryCall) = Traffic(flow, DateTimeOffset.UtcNow);
        try
        {
            await BrokerConsumptionTests.PublishAsync(publisher, [.. events]);
        }
        finally
        {
            await publisher.StopAsync();
        }

        var last = events[^1];
        await Eventually.TrueAsync(() => service.Queries.CallAsync(last.CallId).Result?.Call.Events == last.Sequence, Patience);
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

        await using var browser = await HeadlessChromium.OpenAsync(service.Address);
        await browser.SetViewportAsync(1400, 900);
        await browser.WaitForAsync($"document.querySelectorAll('#aggregates tbody tr[data-flow^=\"{flow}\"]').length >= 2", Patience, "the aggregates");
        // The 1,400 px complaint: nothing may stick out to the right, and outcomes are one column, not twins.
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth <= window.innerWidth")).GetBoolean(), "the live page scrolls sideways at 1,400 px");
        Assert.True((await browser.EvaluateAsync("document.querySelector('#aggregates').getBoundingClientRect().right <= window.innerWidth")).GetBoolean());
        var headers = (await browser.EvaluateAsync("[...document.querySelectorAll('#aggregates th')].map(t => t.textContent).join('|')")).GetString()!;
        Assert.DoesNotContain("Transfers", headers, StringComparison.Ordinal);
        await browser.ScreenshotAsync(Path.Combine(shots, "1-live.png"));

        // Other suites publish to the same exchanges meanwhile, so the analyst looks at this test's flow only.
        await browser.EvaluateAsync("location.hash = '#calls'");
        await browser.WaitForAsync("document.querySelectorAll('#calls tbody tr').length > 0", Patience, "the call list");
        await browser.EvaluateAsync($"(() => {{ const f = document.getElementById('call-filters'); f.flow.value = '{flow}'; f.requestSubmit(); }})()");
        await browser.WaitForAsync("document.querySelectorAll('#calls tbody tr').length === 6", Patience, "the flow's calls");
        await browser.ScreenshotAsync(Path.Combine(shots, "2-calls.png"));

        // Filter as an analyst would: transferred calls in which the caller sighed.
        await browser.EvaluateAsync(
            "(() => { const f = document.getElementById('call-filters'); f.outcome.value = 'transferred'; "
            + "f.querySelector('input[value=sigh]').checked = true; f.requestSubmit(); })()");
        await browser.WaitForAsync("document.querySelectorAll('#calls tbody tr').length === 1", Patience, "the filtered list");
        Assert.Equal(angryCall, (await browser.EvaluateAsync("document.querySelector('#calls tbody tr').dataset.callId")).GetString());
        Assert.Contains("outcome=transferred", (await browser.EvaluateAsync("document.getElementById('csv-link').href")).GetString(), StringComparison.Ordinal);
        await browser.ScreenshotAsync(Path.Combine(shots, "3-filtered.png"));

        // A nonsense filter the browser cannot catch (the range ends before it starts) is explained, not ignored.
        await browser.EvaluateAsync(
            "(() => { const f = document.getElementById('call-filters'); f.from.value = '2026-12-05T10:00'; f.to.value = '2026-12-04T10:00'; f.requestSubmit(); })()");
        await browser.WaitForAsync("document.getElementById('calls-error').textContent.startsWith('to: must be later than from')", Patience, "the filter error");
        await browser.EvaluateAsync("(() => { const f = document.getElementById('call-filters'); f.from.value = ''; f.to.value = ''; f.requestSubmit(); })()");
        await browser.WaitForAsync("document.querySelectorAll('#calls tbody tr').length === 1", Patience, "the list again");

        await browser.EvaluateAsync("document.querySelector('#calls tbody tr').click()");
        await browser.WaitForAsync("document.querySelectorAll('#timeline .turn').length === 3", Patience, "the timeline");
        var timeline = await browser.EvaluateAsync(
            "({ crossings: document.querySelectorAll('#timeline .crossing').length, vocal: [...document.querySelectorAll('#timeline .vocal')].map(v => v.dataset.kind).join(','), "
            + "keys: document.querySelectorAll('#timeline .key').length, bargeIns: document.querySelectorAll('#timeline .barge-in').length, "
            + "transfer: document.querySelectorAll('#timeline .transfer').length, end: document.querySelectorAll('#timeline .end').length, "
            + "curve: document.querySelector('#timeline .frustration-curve').getAttribute('points').split(' ').length, "
            + "turns: document.querySelectorAll('#turns tbody tr').length, events: document.querySelectorAll('#events tbody tr').length })");
        Assert.Equal(2, timeline.GetProperty("crossings").GetInt32());
        Assert.Equal("Sigh,Sigh", timeline.GetProperty("vocal").GetString());
        Assert.Equal((2, 1, 1, 1), (timeline.GetProperty("keys").GetInt32(), timeline.GetProperty("bargeIns").GetInt32(), timeline.GetProperty("transfer").GetInt32(), timeline.GetProperty("end").GetInt32()));
        // 0 at the start, then per report the previous score it names and the new one.
        Assert.Equal(5, timeline.GetProperty("curve").GetInt32());
        Assert.Equal(3, timeline.GetProperty("turns").GetInt32());
        Assert.Equal(events.Count(e => e.CallId == angryCall), timeline.GetProperty("events").GetInt32());
        Assert.Contains("negative-emotion", (await browser.EvaluateAsync("document.querySelector('#turns').textContent")).GetString(), StringComparison.Ordinal);
        // Fields the events leave empty (turn, cues, flowVersion) are not listed; the ones they carry are.
        var eventText = (await browser.EvaluateAsync("document.querySelector('#events').textContent")).GetString();
        Assert.DoesNotContain(": null", eventText, StringComparison.Ordinal);
        Assert.Contains("hungUpBy: caller", eventText, StringComparison.Ordinal);
        await browser.ScreenshotAsync(Path.Combine(shots, "4-call-detail.png"));

        await browser.EvaluateAsync("location.hash = '#trends'");
        await browser.WaitForAsync($"[...document.querySelectorAll('#trend-filters option')].some(o => o.value === '{flow}')", Patience, "the flow list");
        await browser.EvaluateAsync($"(() => {{ const f = document.getElementById('trend-filters'); f.flow.value = '{flow}'; f.requestSubmit(); }})()");
        await browser.WaitForAsync(
            $"[...document.querySelectorAll('#trend-table tbody tr')].every(r => r.dataset.flow === '{flow}') && document.querySelectorAll('#chart-outcomes rect').length === 6 "
            + "&& document.querySelectorAll('#chart-vocal polyline').length === 2", Patience, "the trend charts");
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth <= window.innerWidth")).GetBoolean(), "the trends scroll sideways");
        var transferredBars = await browser.EvaluateAsync("document.querySelectorAll('#chart-outcomes rect[data-series=transferred]').length");
        Assert.True(transferredBars.GetInt32() >= 1);
        await browser.ScreenshotAsync(Path.Combine(shots, "5-trends.png"));
    }

    /// <summary>Six calls of one flow over three days; one of them the angry, transferred call the test opens.</summary>
    private static (List<ICallEvent> Events, string AngryCall) Traffic(string flow, DateTimeOffset now)
    {
        var events = new List<ICallEvent>();
        var angry = new Events($"{flow}-angry", now.AddMinutes(-20));
        events.AddRange(
        [
            angry.Started(flow, "sip:+4930555123456@trunk.example"),
            angry.Segment(1.0, 4.2), angry.Turn("Neutral", 0.7, 1.0, 4.2),
            angry.Key("0", 6.0), angry.Key("0", 7.0),
            angry.Segment(9.0, 14.5), angry.Turn("Frustrated", 0.6, 9.0, 14.5),
            angry.Crossing(0.55, 0.2, "elevated", 0.5, 15.0), angry.Vocal("Sigh", at: 16.0), angry.BargeIn(18.0),
            angry.Segment(18.0, 25.0), angry.Turn("Angry", 0.82, 18.0, 25.0),
            angry.Crossing(0.86, 0.55, "high", 0.75, 25.5), angry.Vocal("Sigh", at: 26.0),
            angry.Transferred(flow, at: 28.0),
            angry.Ended(40, "transferred", 0.86, new Dictionary<string, int> { ["Sigh"] = 2 }, flow),
        ]);
        string[] outcomes = ["completed", "abandoned", "transferred", "completed", "failed"];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var call = new Events($"{flow}-{i}", now.AddDays(-i * 0.6).AddHours(-1));
            events.AddRange(
            [
                call.Started(flow), call.Segment(1, 5), call.Turn(i % 2 == 0 ? "Happy" : "Neutral", 0.7, 1, 5),
                call.Vocal(i % 2 == 0 ? "Laugh" : "Sigh", at: 6), call.Ended(60 + 10 * i, outcomes[i], 0.1 * i, flow: flow),
            ]);
        }

        return (events, angry.CallId);
    }
}
