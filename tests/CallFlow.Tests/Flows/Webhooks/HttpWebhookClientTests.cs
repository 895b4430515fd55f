using System.Text.Json.Nodes;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Webhooks;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

public sealed class HttpWebhookClientTests
{
    private static HttpWebhookClient Client(WebhookOptions? options = null, TimeProvider? time = null) => new(
        new HttpClient(),
        options ?? new WebhookOptions { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(50) },
        time ?? TimeProvider.System);

    private static WebhookRequest Request(Uri url, int retries = 2, double timeoutSeconds = 5) => new(
        url,
        "POST",
        new Dictionary<string, string> { ["X-Api-Key"] = "secret" },
        new JsonObject { ["call"] = new JsonObject { ["id"] = "call-1" } },
        TimeSpan.FromSeconds(timeoutSeconds),
        retries);

    [Fact]
    public async Task Json_answer_comes_back_and_the_request_carries_body_and_headers()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (200, """{"balance": 42}""", TimeSpan.Zero) };
        using var client = Client();

        var response = await client.SendAsync(Request(server.Url), default);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(42, (int)response.Json!["balance"]!);
        var received = Assert.Single(server.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("secret", received.Headers["X-Api-Key"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("call-1", (string?)JsonNode.Parse(received.Body)!["call"]!["id"]);
    }

    [Fact]
    public async Task Empty_answer_is_null_json()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (204, "", TimeSpan.Zero) };
        using var client = Client();

        var response = await client.SendAsync(Request(server.Url), default);

        Assert.Equal((204, (JsonNode?)null), (response.StatusCode, response.Json));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_one_succeeds()
    {
        await using var server = new LoopbackHttpServer();
        server.Respond = _ => server.RequestCount < 3 ? (503, "{}", TimeSpan.Zero) : (200, """{"ok": true}""", TimeSpan.Zero);
        using var client = Client();

        var response = await client.SendAsync(Request(server.Url, retries: 2), default);

        Assert.True((bool)response.Json!["ok"]!);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Retries_give_up_with_the_last_status()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (429, "{}", TimeSpan.Zero) };
        using var client = Client();

        var error = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url, retries: 2), default).AsTask());

        Assert.Contains("429", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (404, """{"error": "no such customer"}""", TimeSpan.Zero) };
        using var client = Client();

        var error = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url, retries: 3), default).AsTask());

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Each_attempt_has_its_own_timeout()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (200, "{}", TimeSpan.FromSeconds(10)) };
        using var client = Client();

        // Each attempt must reach the server before its own timeout for the count below: 2 s leaves a loaded machine room
        // to connect and send, and is still far below the server's 10 s.
        var error = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url, retries: 1, timeoutSeconds: 2), default).AsTask());

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_a_failure()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (200, "<html>hello</html>", TimeSpan.Zero) };
        using var client = Client();

        var error = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url), default).AsTask());

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_answer_is_a_failure()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (200, "\"" + new string('x', 5000) + "\"", TimeSpan.Zero) };
        using var client = Client(new WebhookOptions { MaxResponseBytes = 1000 });

        var error = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url), default).AsTask());

        Assert.Contains("more than 1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaker_opens_after_consecutive_failures_fails_fast_and_recovers_half_open()
    {
        await using var server = new LoopbackHttpServer { Respond = _ => (500, "{}", TimeSpan.Zero) };
        // The breaker's clock only moves when the test says so: on the real clock a loaded machine could let the break
        // pass between the third failure and the call that must find the circuit open.
        var time = new SteppedClock();
        using var client = Client(
            new WebhookOptions
            {
                BreakerFailures = 3,
                BreakerBreak = TimeSpan.FromMilliseconds(500),
                BreakerSamplingDuration = TimeSpan.FromSeconds(30),
            },
            time);

        for (var i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url, retries: 0), default).AsTask());
            Assert.Contains("500", failed.Message, StringComparison.Ordinal);
        }

        var open = await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(server.Url, retries: 2), default).AsTask());
        Assert.Contains("circuit open for host 127.0.0.1", open.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.RequestCount);

        server.Respond = _ => (200, """{"back": true}""", TimeSpan.Zero);
        time.Advance(TimeSpan.FromMilliseconds(700));
        var trial = await client.SendAsync(Request(server.Url, retries: 0), default);
        var after = await client.SendAsync(Request(server.Url, retries: 0), default);

        Assert.True((bool)trial.Json!["back"]!);
        Assert.Equal(200, after.StatusCode);
        Assert.Equal(5, server.RequestCount);
    }

    [Fact]
    public async Task Breakers_are_per_host()
    {
        await using var broken = new LoopbackHttpServer { Respond = _ => (500, "{}", TimeSpan.Zero) };
        await using var healthy = new LoopbackHttpServer();
        using var client = Client(new WebhookOptions { BreakerFailures = 2, BreakerBreak = TimeSpan.FromSeconds(30) });

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<FlowActionException>(() => client.SendAsync(Request(broken.Url, retries: 0), default).AsTask());
        }

        var response = await client.SendAsync(Request(healthy.Url, retries: 0), default);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, broken.RequestCount);
    }

    /// <summary>
    /// A clock that stands still until <see cref="Advance"/>: the breaker reads it, while timers (attempt timeouts,
    /// retry delays) stay the system's.
    /// </summary>
    private sealed class SteppedClock : TimeProvider
    {
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _start + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
