using System.Net;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

public sealed class SipUserAgentServerTests
{
    private static SipOptions TestOptions(int t1Ms = 50, int maxDialogs = 10) => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(t1Ms),
        T2 = TimeSpan.FromMilliseconds(t1Ms * 4),
        MaxDialogs = maxDialogs,
    };

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, SipOptions? options = null)
    {
        return await TestUserAgent.StartAsync(handler, options ?? TestOptions());
    }

    [Fact]
    public async Task Invite_gets_100_then_200_with_sdp_answer()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());

        var trying = await caller.ReceiveResponseAsync();
        Assert.Equal(100, trying.StatusCode);
        Assert.Null(trying.To!.Tag);

        var ok = await caller.ReceiveResponseAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.NotNull(ok.To!.Tag);
        Assert.Equal(new CSeqHeader(1, "INVITE"), ok.CSeq);
        Assert.Equal(caller.CallId, ok.CallId);
        Assert.Equal("127.0.0.1", ok.TopVia!.Received);
        Assert.Equal(caller.Port, ok.TopVia.RportValue);
        Assert.Equal($"<sip:127.0.0.1:{server.LocalEndPoint.Port}>", ok.Headers.GetFirst(SipHeaderId.Contact));
        Assert.Equal("application/sdp", ok.ContentType);
        Assert.Contains("INVITE", ok.Headers.GetFirst(SipHeaderId.Allow), StringComparison.Ordinal);
        Assert.True(ok.Headers.Contains(SipHeaderId.Supported));

        Assert.True(SdpParser.TryParse(ok.Body.Span, out var answer, out var error), error);
        var audio = Assert.Single(answer.Media);
        Assert.Equal(TestCallHandler.LocalRtp.Port, audio.Port);
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal("127.0.0.1", answer.ConnectionAddress);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(caller.CallId, call.CallId);
        Assert.Equal($"{caller.CallId};{ok.To.Tag}", call.DialogId);
        Assert.Equal("sip:caller@127.0.0.1", call.FromUri);
        Assert.Equal("sip:gateway@127.0.0.1", call.ToUri);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6000), call.RemoteRtp);
        Assert.Equal(AudioCodec.Pcma, call.Codec);
        Assert.Equal(101, call.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, caller.Port), call.RemoteSignalling);
    }

    [Fact]
    public async Task Ok_is_retransmitted_until_ack_then_stops()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        var ok = await caller.ReceiveResponseAsync();
        var retransmitted = await caller.ReceiveResponseAsync();
        Assert.Equal(200, retransmitted.StatusCode);
        Assert.Equal(ok.To!.Tag, retransmitted.To!.Tag);

        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack-1", 1, ok.To.Tag));
        var confirmed = await TestCallHandler.NextAsync(handler.Confirmed);
        Assert.Equal($"{caller.CallId};{ok.To.Tag}", confirmed);

        // One retransmission may already be in flight; after that, silence for several T2 periods.
        try
        {
            await caller.ReceiveAsync(100);
        }
        catch (TimeoutException)
        {
        }

        await caller.ExpectSilenceAsync(1000);
        Assert.Equal(1, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Retransmitted_invite_is_answered_from_the_transaction_without_a_second_call()
    {
        var release = new TaskCompletionSource();
        var handler = new TestCallHandler(async (_, _) =>
        {
            await release.Task;
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        var invite = caller.Invite();
        await caller.SendAsync(invite);
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        await caller.SendAsync(invite);
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        release.SetResult();
        Assert.Equal(200, (await caller.ReceiveResponseAsync()).StatusCode);

        await TestCallHandler.NextAsync(handler.Incoming);
        Assert.False(handler.Incoming.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Bye_ends_the_call_once_and_unknown_dialogs_get_481()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var toTag = await EstablishAsync(caller);

        var bye = caller.Request("BYE", "z9hG4bK-bye-1", 2, toTag);
        await caller.SendAsync(bye);
        var ok = await caller.ReceiveResponseAsync();
        Assert.Equal((200, "BYE"), (ok.StatusCode, ok.CSeq!.Value.Method));
        var terminated = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal(($"{caller.CallId};{toTag}", "caller", "bye"), terminated);

        // Retransmitted BYE: same response again (RFC 3261 §17.2.2), no second notification.
        await caller.SendAsync(bye);
        Assert.Equal(200, (await caller.ReceiveResponseAsync()).StatusCode);

        await caller.SendAsync(caller.Request("BYE", "z9hG4bK-bye-2", 3, toTag));
        Assert.Equal(481, (await caller.ReceiveResponseAsync()).StatusCode);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Cancel_before_answer_gets_200_and_487_and_the_handler_sees_cancellation()
    {
        var handlerCancelled = new TaskCompletionSource();
        var handler = new TestCallHandler(async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                handlerCancelled.TrySetResult();
            }

            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        await TestCallHandler.NextAsync(handler.Incoming);

        await caller.SendAsync(caller.Request("CANCEL", caller.InviteBranch, 1, null));
        var first = await caller.ReceiveResponseAsync();
        var second = await caller.ReceiveResponseAsync();
        var cancelOk = first.CSeq!.Value.Method == "CANCEL" ? first : second;
        var terminated = first.CSeq!.Value.Method == "INVITE" ? first : second;
        Assert.Equal((200, "CANCEL"), (cancelOk.StatusCode, cancelOk.CSeq!.Value.Method));
        Assert.Equal((487, "INVITE"), (terminated.StatusCode, terminated.CSeq!.Value.Method));
        Assert.Equal(cancelOk.To!.Tag, terminated.To!.Tag);
        await handlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // ACK for the 487 is absorbed; nothing else is sent and the call was never accepted, so no termination.
        await caller.SendAsync(caller.Request("ACK", caller.InviteBranch, 1, terminated.To.Tag));
        await caller.ExpectSilenceAsync(500);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Cancel_while_the_handler_accepts_wins_and_the_accepted_media_is_released()
    {
        var cancelSeen = new TaskCompletionSource();
        var handler = new TestCallHandler(async (_, ct) =>
        {
            ct.Register(() => cancelSeen.TrySetResult());
            await cancelSeen.Task;
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp); // ignores the cancellation, as a slow allocator might
        });
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        await caller.SendAsync(caller.Request("CANCEL", caller.InviteBranch, 1, null));

        var codes = new List<int> { (await caller.ReceiveResponseAsync()).StatusCode, (await caller.ReceiveResponseAsync()).StatusCode };
        codes.Sort();
        Assert.Equal([200, 487], codes);
        var terminated = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal(("caller", "cancel"), (terminated.EndedBy, terminated.Reason));

        // 487 retransmissions may follow (no ACK sent), but never a 200 for the INVITE.
        for (var i = 0; i < 3; i++)
        {
            try
            {
                var late = await caller.ReceiveResponseAsync(300);
                Assert.Equal(487, late.StatusCode);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        Assert.Equal(0, server.ActiveDialogCount);
    }

    [Fact]
    public async Task Cancel_without_matching_invite_gets_481()
    {
        await using var server = await StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Request("CANCEL", "z9hG4bK-nothing", 1, null));
        Assert.Equal(481, (await caller.ReceiveResponseAsync()).StatusCode);
    }

    [Theory]
    [InlineData("Require: precondition\r\n", 420)]
    [InlineData("", 488)]
    public async Task Invite_rejections(string extraHeaders, int expected)
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var sdp = expected == 488 ? SipTestCaller.Offer.Replace("8 0 101", "9", StringComparison.Ordinal) : SipTestCaller.Offer;

        await caller.SendAsync(caller.Invite(sdp, extraHeaders));
        var response = await caller.ReceiveResponseAsync();
        Assert.Equal(expected, response.StatusCode);
        if (expected == 420)
        {
            Assert.Equal("precondition", response.Headers.GetFirst(SipHeaderId.Unsupported));
        }

        Assert.False(handler.Incoming.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Handler_rejection_and_handler_exception_become_final_responses()
    {
        var calls = 0;
        var handler = new TestCallHandler((_, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromResult(MediaAcceptance.Reject(486, "Busy Here"))
            : throw new InvalidOperationException("boom"));
        await using var server = await StartAsync(handler);

        using (var caller = new SipTestCaller(server.LocalEndPoint))
        {
            await caller.SendAsync(caller.Invite());
            Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
            var busy = await caller.ReceiveResponseAsync();
            Assert.Equal((486, "Busy Here"), (busy.StatusCode, busy.ReasonPhrase));
        }

        using (var caller = new SipTestCaller(server.LocalEndPoint))
        {
            await caller.SendAsync(caller.Invite());
            Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
            Assert.Equal(500, (await caller.ReceiveResponseAsync()).StatusCode);
        }

        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Full_dialog_table_answers_503()
    {
        await using var server = await StartAsync(new TestCallHandler(), TestOptions(maxDialogs: 1));
        using var first = new SipTestCaller(server.LocalEndPoint);
        await EstablishAsync(first);

        using var second = new SipTestCaller(server.LocalEndPoint);
        await second.SendAsync(second.Invite());
        Assert.Equal(503, (await second.ReceiveResponseAsync()).StatusCode);
    }

    [Fact]
    public async Task Gateway_hang_up_sends_bye_in_the_dialog()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var toTag = await EstablishAsync(caller);
        var dialogId = $"{caller.CallId};{toTag}";

        var hangUp = server.HangUpAsync(dialogId, CancellationToken.None);
        var bye = Assert.IsType<SipRequest>(await caller.ReceiveAsync());
        Assert.Equal("BYE", bye.Method);
        Assert.Equal($"sip:caller@127.0.0.1:{caller.Port}", bye.RequestUri);
        Assert.Equal(toTag, bye.From!.Tag);
        Assert.Equal("sip:gateway@127.0.0.1", bye.From.Uri);
        Assert.Equal(caller.FromTag, bye.To!.Tag);
        Assert.Equal(caller.CallId, bye.CallId);
        Assert.Equal(new CSeqHeader(1, "BYE"), bye.CSeq);
        Assert.StartsWith("z9hG4bK", bye.TopVia!.Branch, StringComparison.Ordinal);
        Assert.Equal(("gateway", "hangup"), await NextTermination(handler, dialogId));

        // Answer it; HangUpAsync completes and the dialog is gone.
        var response = new SipResponse(200, "OK", bye.Headers);
        await caller.SendAsync(response.ToBytes());
        await hangUp.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, server.ActiveDialogCount);

        await server.HangUpAsync(dialogId, CancellationToken.None); // idempotent
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Missing_ack_tears_the_call_down_with_bye()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, TestOptions(t1Ms: 20));
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        SipRequest? bye = null;
        for (var i = 0; i < 50 && bye is null; i++)
        {
            if (await caller.ReceiveAsync() is SipRequest request)
            {
                bye = request;
            }
        }

        Assert.Equal("BYE", bye?.Method);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(("gateway", "ack-timeout"), await NextTermination(handler, call.DialogId));
        await caller.SendAsync(new SipResponse(200, "OK", bye!.Headers).ToBytes());
    }

    [Fact]
    public async Task Dispose_ends_open_calls_exactly_once()
    {
        var handler = new TestCallHandler();
        var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var toTag = await EstablishAsync(caller);

        await server.DisposeAsync();
        Assert.Equal(("gateway", "shutdown"), await NextTermination(handler, $"{caller.CallId};{toTag}"));
        // A 2xx retransmission that crossed our ACK on a busy machine may still come first (RFC 3261 §13.3.1.4).
        var message = await caller.ReceiveAsync();
        while (message is SipResponse { StatusCode: 200 })
        {
            message = await caller.ReceiveAsync();
        }

        Assert.Equal("BYE", Assert.IsType<SipRequest>(message).Method);
        await server.DisposeAsync();
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    private static async Task<(string, string)> NextTermination(TestCallHandler handler, string dialogId)
    {
        var (id, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal(dialogId, id);
        return (endedBy, reason);
    }

    /// <summary>INVITE, 100, 200, ACK; returns our To tag.</summary>
    private static async Task<string> EstablishAsync(SipTestCaller caller)
    {
        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        var ok = await caller.ReceiveResponseAsync();
        Assert.Equal(200, ok.StatusCode);
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack-" + Guid.NewGuid().ToString("N"), 1, ok.To!.Tag));

        // Drain 200 retransmissions that crossed the ACK.
        while (true)
        {
            try
            {
                await caller.ReceiveAsync(150);
            }
            catch (TimeoutException)
            {
                return ok.To.Tag!;
            }
        }
    }
}
