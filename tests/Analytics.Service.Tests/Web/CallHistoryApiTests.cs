using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.Analytics.Service.Aggregates;
using StepAudio.Telephony.Analytics.Service.Queries;
using StepAudio.Telephony.Analytics.Service.Tests.Infrastructure;

namespace StepAudio.Telephony.Analytics.Service.Tests.Web;

/// <summary><c>/api/calls</c>, <c>/api/calls/{id}</c>, <c>/api/calls.csv</c> and <c>/api/trends</c> on the real host.</summary>
public sealed class CallHistoryApiTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    // sip:+4930555123456@…: the user part is 14 characters, of which the last 4 stay visible.
    private static readonly string Masked = new string('•', 10) + "3456";

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "to")]
    [InlineData("outcome=happy", "outcome")]
    [InlineData("frustrationAbove=1.5", "frustrationAbove")]
    [InlineData("frustrationAbove=NaN", "frustrationAbove")]
    [InlineData("has=sigh,yawn", "has")]
    [InlineData("emotion=Bored", "emotion")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("frustation=0.5", "frustation")]
    [InlineData("flow=a&flow=b", "flow")]
    public async Task A_nonsense_filter_gets_a_400_naming_the_parameter(string query, string parameter)
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        foreach (var path in new[] { "/api/calls?", "/api/calls.csv?" })
        {
            using var response = await http.GetAsync(new Uri(path + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<QueryError>(WebJson))!;
            Assert.Equal(parameter, error.Parameter);
            Assert.False(string.IsNullOrWhiteSpace(error.Error));
        }
    }

    [Fact]
    public async Task Calls_are_searched_by_every_filter_paged_newest_first_and_exported_as_CSV()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var hour = AggregateWindow.HourOf(DateTimeOffset.UtcNow).AddHours(-2);
        var calm = new Events("calm", hour.AddMinutes(1));
        var angry = new Events("angry", hour.AddMinutes(2));
        var sad = new Events("sad", hour.AddMinutes(70));
        await service.FeedAsync(
            calm.Started("sales"), calm.Emotion("Happy", 0.7), calm.Vocal("Laugh"), calm.Ended(30, flow: "sales"),
            angry.Started("billing", "sip:+4930555123456@trunk.example"), angry.Emotion("Angry", 0.9), angry.Frustration(0.85, "high"),
            angry.Vocal("Sigh"), angry.Transferred(), angry.Ended(200, "transferred", 0.85),
            sad.Started("billing"), sad.Emotion("Sad", 0.6), sad.Vocal("Crying"));

        Assert.Equal(["sad", "angry", "calm"], await CallIds(http, ""));
        Assert.Equal(["sad", "angry"], await CallIds(http, "flow=billing"));
        Assert.Equal(["angry"], await CallIds(http, "outcome=transferred"));
        Assert.Equal(["sad"], await CallIds(http, "outcome=in-progress"));
        Assert.Equal(["angry"], await CallIds(http, "frustrationAbove=0.5"));
        Assert.Equal(["angry"], await CallIds(http, "has=sigh"));
        Assert.Equal(["calm"], await CallIds(http, "has=LAUGH"));
        Assert.Empty(await CallIds(http, "has=laugh,crying"));
        Assert.Equal(["sad"], await CallIds(http, "emotion=sad"));
        Assert.Equal(["angry", "calm"], await CallIds(http, $"to={Uri.EscapeDataString(hour.AddHours(1).ToString("O"))}"));
        Assert.Equal(["sad"], await CallIds(http, $"from={Uri.EscapeDataString(hour.AddHours(1).ToString("O"))}"));

        var page2 = (await http.GetFromJsonAsync<CallPage>("/api/calls?pageSize=2&page=2", WebJson))!;
        Assert.Equal((3L, 2, "calm"), (page2.Total, page2.Page, Assert.Single(page2.Calls).CallId));
        var angryRow = (await http.GetFromJsonAsync<CallPage>("/api/calls?outcome=transferred", WebJson))!.Calls[0];
        Assert.Equal((Masked, 1, "Angry"), (angryRow.Caller, angryRow.Transfers, angryRow.DominantEmotion));

        using var csv = await http.GetAsync(new Uri("/api/calls.csv?flow=billing&pageSize=1", UriKind.Relative));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("call_id,flow,caller,started_at", lines[0], StringComparison.Ordinal);
        // The export is the whole search, not one page of it.
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("angry,billing," + Masked + ",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",transferred,caller,0.85,Angry,1,1,0,0,1,0,6", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_is_returned_with_every_event_in_sequence_and_personal_data_masked()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        var call = new Events("detail", DateTimeOffset.UtcNow.AddMinutes(-5));
        var started = call.Started("billing", "sip:+4930555123456@trunk.example");
        var key = new DtmfReceived(Guid.NewGuid(), "detail", 2, started.Timestamp.AddSeconds(3), "7", 0.1, "rfc4733");
        await service.FeedAsync(started, key);

        using var document = JsonDocument.Parse(await http.GetStringAsync("/api/calls/detail"));
        var events = document.RootElement.GetProperty("events");
        Assert.Equal(["CallStarted", "DtmfReceived"], events.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Masked, events[0].GetProperty("data").GetProperty("from").GetString());
        Assert.Equal("•", events[1].GetProperty("data").GetProperty("digit").GetString());
        Assert.DoesNotContain("4930555", document.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, document.RootElement.GetProperty("call").GetProperty("keys").GetInt32());

        using var missing = await http.GetAsync(new Uri("/api/calls/nobody", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Trends_group_by_the_viewers_day_and_count_outcomes_frustration_bands_and_emotions()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };
        // 23:30 UTC is already the next day in UTC+2 (Berlin in summer, Cairo, …).
        var late = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-1).AddHours(23).AddMinutes(30), TimeSpan.Zero);
        var early = late.AddHours(-3);
        var a = new Events("late", late);
        var b = new Events("early", early);
        await service.FeedAsync(
            a.Started("sales"), a.Emotion("Angry", 0.9), a.Ended(60, "abandoned", 0.8, flow: "sales"),
            b.Started("sales"), b.Emotion("Happy", 0.9), b.Ended(60, "completed", 0.1, new Dictionary<string, int> { ["Sigh"] = 2 }, "sales"));

        var utc = (await http.GetFromJsonAsync<TrendRow[]>("/api/trends?bucket=day&flow=sales", WebJson))!;
        var day = Assert.Single(utc);
        Assert.Equal((2L, 1L, 1L), (day.CallsEnded, day.Outcomes.Completed, day.Outcomes.Abandoned));
        Assert.Equal([1L, 0, 0, 1], day.FrustrationBands);
        Assert.Equal((1L, 1L), (day.Emotions["Angry"], day.Emotions["Happy"]));
        Assert.Equal(1.0, day.SighsPerCall);

        var berlin = (await http.GetFromJsonAsync<TrendRow[]>("/api/trends?bucket=day&flow=sales&utcOffsetMinutes=120", WebJson))!;
        Assert.Equal(2, berlin.Length);
        // Local midnight in UTC+2 is 22:00 UTC the evening before.
        Assert.Equal((late.AddMinutes(-90), 1L), (berlin[0].Bucket, berlin[0].Outcomes.Abandoned));
        Assert.Equal((late.AddMinutes(-90).AddDays(-1), 1L), (berlin[1].Bucket, berlin[1].Outcomes.Completed));

        using var bad = await http.GetAsync(new Uri("/api/trends?bucket=week", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("bucket", (await bad.Content.ReadFromJsonAsync<QueryError>(WebJson))!.Parameter);
    }

    private static async Task<string[]> CallIds(HttpClient http, string query)
    {
        var page = await http.GetFromJsonAsync<CallPage>("/api/calls?" + query, WebJson);
        return [.. page!.Calls.Select(c => c.CallId)];
    }
}
