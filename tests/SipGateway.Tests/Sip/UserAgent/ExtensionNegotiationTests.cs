using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Require/Supported (RFC 3261 §8.2.2.3, §20.32, §20.37) on every request, and what reaches the log.</summary>
public sealed class ExtensionNegotiationTests
{
    [Theory]
    [InlineData("OPTIONS")]
    [InlineData("INFO")]
    [InlineData("UPDATE")]
    [InlineData("BYE")]
    [InlineData("REGISTER")]
    public async Task Unknown_require_gets_420_with_unsupported(string method)
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Request(method, "z9hG4bK-req-" + method, 1, null, extraHeaders: "Require: timer, x-frob\r\nRequire: foo\r\n"));

        var response = await caller.ReceiveResponseAsync();
        Assert.Equal((420, "Bad Extension"), (response.StatusCode, response.ReasonPhrase));
        Assert.Equal(["x-frob", "foo"], response.Headers.GetAll(SipHeaderId.Unsupported));
    }

    [Fact]
    public async Task Require_of_a_supported_extension_is_served()
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-req-timer", 1, null, extraHeaders: "Require: timer\r\n"));

        Assert.Equal(200, (await caller.ReceiveResponseAsync()).StatusCode);
    }

    [Fact]
    public async Task Reinvite_with_unknown_require_gets_420_and_the_call_goes_on()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite());
        SipResponse ok;
        do
        {
            ok = await caller.ReceiveResponseAsync();
        }
        while (ok.StatusCode < 200);

        var tag = ok.To!.Tag!;
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, tag));
        await TestCallHandler.NextAsync(handler.Confirmed);

        await caller.SendAsync(caller.Request("INVITE", "z9hG4bK-reinv", 2, tag, SipTestCaller.Offer, "Content-Type: application/sdp\r\nRequire: x-frob\r\n"));
        // A retransmission of our 200 sent before the ACK landed (T1 is 50 ms) may come first: read past it.
        var refused = await InDialogRequestTests.ResponseForAsync(caller, 2);
        Assert.Equal(420, refused.StatusCode);
        Assert.Equal("x-frob", refused.Headers.GetFirst(SipHeaderId.Unsupported));

        await caller.SendAsync(caller.Request("BYE", "z9hG4bK-bye", 3, tag));
        Assert.Equal(200, (await InDialogRequestTests.ResponseForAsync(caller, 3)).StatusCode);
    }

    [Fact]
    public async Task Cancel_with_require_is_not_refused()
    {
        var release = new TaskCompletionSource();
        var handler = new TestCallHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            release.TrySetResult();
            return MediaAcceptance.Reject(487, "Request Terminated");
        });
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);

        await caller.SendAsync(caller.Request("CANCEL", caller.InviteBranch, 1, null, extraHeaders: "Require: x-frob\r\n"));

        var statuses = new[] { (await caller.ReceiveResponseAsync()).StatusCode, (await caller.ReceiveResponseAsync()).StatusCode };
        Assert.Equal([200, 487], statuses.Order());
        await release.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Options_advertises_the_extensions_it_supports()
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Request("OPTIONS", "z9hG4bK-opt", 1, null));

        var ok = await caller.ReceiveResponseAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("timer", ok.Headers.GetFirst(SipHeaderId.Supported), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_bytes_of_a_call_id_never_reach_the_log_raw()
    {
        using var logs = new RecordingLoggerFactory();
        var handler = new TestCallHandler((_, _) => throw new InvalidOperationException("handler broke"));
        await using var server = await TestUserAgent.StartAsync(handler, logs: logs);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var invite = caller.Invite().Replace("Call-ID: " + caller.CallId, "Call-ID: " + caller.CallId + "\u001b[2J\u0007", StringComparison.Ordinal);

        await caller.SendAsync(invite);

        SipResponse final;
        do
        {
            final = await caller.ReceiveResponseAsync();
        }
        while (final.StatusCode < 200);

        Assert.Equal(500, final.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Contains("OnIncomingCallAsync failed", StringComparison.Ordinal));
        Assert.Contains(caller.CallId + "\\x1B[2J\\x07", line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.AsSpan().IndexOfAnyInRange('\0', '\x1F') >= 0 && !l.Contains("handler broke", StringComparison.Ordinal));
    }
}
