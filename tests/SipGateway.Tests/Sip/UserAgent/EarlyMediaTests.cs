using System.Diagnostics.Metrics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// 183 Session Progress with SDP (early media) and RFC 3262 reliable provisional responses, with raw messages on
/// loopback: the 183 is reliable when the caller allows 100rel, the 200 waits for its PRACK, PRACKs that match nothing
/// get 481, and a PRACK that never comes ends the INVITE with a 5xx. sipp checks the same against a real UA
/// (deploy/sipp/uac_100rel_early_media.xml).
/// </summary>
public sealed class EarlyMediaTests
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(50);

    /// <summary>A handler that starts early media, then answers when the test says so (or when cancelled).</summary>
    private static TestCallHandler EarlyHandler(TaskCompletionSource answer, Action<bool>? started = null) =>
        new(async (call, ct) =>
        {
            var sent = call.EarlyMedia!.Start(TestCallHandler.LocalRtp);
            started?.Invoke(sent);
            try
            {
                await answer.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                // An acceptance after CANCEL is released through OnCallTerminated (ICallHandler's contract).
            }

            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });

    private static async Task<SipResponse> NextResponseAsync(SipTestCaller caller, Func<SipResponse, bool> match, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = new List<string>();
        while (true)
        {
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            try
            {
                if (left > 0 && await caller.ReceiveAsync(left) is SipResponse r)
                {
                    if (match(r))
                    {
                        return r;
                    }

                    seen.Add($"{r.StatusCode} {r.ReasonPhrase} ({r.CSeq}) rseq {r.Headers.GetFirst(SipHeaderId.RSeq)} at {DateTime.UtcNow:ss.fff}");
                }
            }
            catch (TimeoutException)
            {
                left = 0;
            }

            if (left <= 0)
            {
                throw new TimeoutException("no matching response; skipped: " + string.Join(", ", seen));
            }
        }
    }

    private static Task<SipResponse> ProgressAsync(SipTestCaller caller) => NextResponseAsync(caller, r => r.StatusCode == 183);

    private static Task<SipResponse> InviteFinalAsync(SipTestCaller caller) =>
        NextResponseAsync(caller, r => r.StatusCode >= 200 && r.CSeq!.Value.Method == SipMethods.Invite);

    private static Task<SipResponse> ResponseToAsync(SipTestCaller caller, string method) =>
        NextResponseAsync(caller, r => r.CSeq!.Value.Method == method);

    private static string Prack(SipTestCaller caller, string branch, int cseq, string toTag, string rack, string body = "", string extra = "") =>
        caller.Request("PRACK", branch, cseq, toTag, body, (rack.Length == 0 ? string.Empty : $"RAck: {rack}\r\n") + extra);

    [Theory]
    [InlineData("Supported: 100rel\r\n")]
    [InlineData("Require: 100rel\r\n")]
    [InlineData("Supported: timer, 100rel\r\n")]
    public async Task A_reliable_183_carries_the_answer_and_the_200_waits_for_its_prack(string extension)
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = EarlyHandler(answer);
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: extension));
        var progress = await ProgressAsync(caller);

        Assert.Equal("Session Progress", progress.ReasonPhrase);
        Assert.Contains("100rel", progress.Headers.GetAll(SipHeaderId.Require));
        Assert.True(RSeqHeader.TryParse(System.Text.Encoding.ASCII.GetBytes(progress.Headers.GetFirst(SipHeaderId.RSeq)!), out var rseq));
        Assert.InRange(rseq, 1u, (uint)int.MaxValue);
        Assert.Equal("application/sdp", progress.ContentType);
        Assert.Contains("m=audio 40000 RTP/AVP 8", System.Text.Encoding.ASCII.GetString(progress.Body.Span), StringComparison.Ordinal);
        Assert.NotNull(progress.To!.Tag);
        Assert.NotNull(progress.Headers.GetFirst(SipHeaderId.Contact));

        // Retransmitted with the same RSeq until PRACK (T1 = 50 ms here).
        var again = await ProgressAsync(caller);
        Assert.Equal(progress.ToString(), again.ToString());

        // The handler answers, but the 200 waits for the PRACK (RFC 3262 §3): only 183s arrive meanwhile.
        answer.SetResult();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(183, (await caller.ReceiveResponseAsync()).StatusCode);
        }

        var toTag = progress.To.Tag!;
        await caller.SendAsync(Prack(caller, "z9hG4bK-prack1", 2, toTag, $"{rseq} 1 INVITE"));
        Assert.Equal(200, (await ResponseToAsync(caller, "PRACK")).StatusCode);

        var ok = await InviteFinalAsync(caller);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(toTag, ok.To!.Tag);
        Assert.True(progress.Body.Span.SequenceEqual(ok.Body.Span), "the 200 repeats the 183's answer byte for byte (RFC 3261 §13.2.1)");

        // A retransmitted PRACK (same branch) gets the same 200; a new PRACK for the same RSeq matches nothing.
        await caller.SendAsync(Prack(caller, "z9hG4bK-prack1", 2, toTag, $"{rseq} 1 INVITE"));
        Assert.Equal(200, (await ResponseToAsync(caller, "PRACK")).StatusCode);
        await caller.SendAsync(Prack(caller, "z9hG4bK-prack2", 3, toTag, $"{rseq} 1 INVITE"));
        Assert.Equal(481, (await ResponseToAsync(caller, "PRACK")).StatusCode);

        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, toTag));
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        await caller.SendAsync(caller.Request("BYE", "z9hG4bK-bye", 4, toTag));
        Assert.Equal(200, (await ResponseToAsync(caller, "BYE")).StatusCode);
    }

    [Fact]
    public async Task Without_100rel_the_183_is_sent_once_and_a_prack_matches_nothing()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<bool>();
        var handler = EarlyHandler(answer, s => started.TrySetResult(s));
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        var progress = await ProgressAsync(caller);
        Assert.True(await started.Task);
        Assert.False(progress.Headers.Contains(SipHeaderId.RSeq));
        Assert.DoesNotContain("100rel", progress.Headers.GetAll(SipHeaderId.Require));
        Assert.False(progress.Body.IsEmpty);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.False(call.EarlyMedia!.IsReliable);

        // Unreliable: no retransmission, and a retransmitted INVITE gets the 183 again (RFC 3261 §17.2.1).
        await caller.ExpectSilenceAsync(400);
        await caller.SendAsync(caller.Invite());
        Assert.Equal(progress.ToString(), (await caller.ReceiveResponseAsync()).ToString());

        await caller.SendAsync(Prack(caller, "z9hG4bK-prack", 2, progress.To!.Tag!, "1 1 INVITE"));
        Assert.Equal(481, (await ResponseToAsync(caller, "PRACK")).StatusCode);

        answer.SetResult();
        var ok = await InviteFinalAsync(caller);
        Assert.Equal(200, ok.StatusCode);
        Assert.True(progress.Body.Span.SequenceEqual(ok.Body.Span));
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, ok.To!.Tag));
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
    }

    [Fact]
    public async Task Bad_pracks_get_clear_responses_and_are_counted()
    {
        var bad = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sip.uas.bad_requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref bad, value));
        listener.Start();

        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestUserAgent.StartAsync(EarlyHandler(answer));
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: 100rel\r\n"));
        var progress = await ProgressAsync(caller);
        var rseq = uint.Parse(progress.Headers.GetFirst(SipHeaderId.RSeq)!, System.Globalization.CultureInfo.InvariantCulture);
        var tag = progress.To!.Tag!;
        var before = Interlocked.Read(ref bad);

        (string Prack, int Status)[] cases =
        [
            (Prack(caller, "z9hG4bK-p1", 2, tag, string.Empty), 400),
            (Prack(caller, "z9hG4bK-p2", 3, tag, "x 1 INVITE"), 400),
            (Prack(caller, "z9hG4bK-p3", 4, tag, $"{rseq} 1"), 400),
            (Prack(caller, "z9hG4bK-p4", 5, tag, $"{rseq + 1} 1 INVITE"), 481),
            (Prack(caller, "z9hG4bK-p5", 6, tag, $"{rseq} 2 INVITE"), 481),
            (Prack(caller, "z9hG4bK-p6", 7, tag, $"{rseq} 1 UPDATE"), 481),
            (Prack(caller, "z9hG4bK-p7", 8, "not-our-tag", $"{rseq} 1 INVITE"), 481),
            (Prack(caller, "z9hG4bK-p8", 9, tag, $"{rseq} 1 INVITE", SipTestCaller.Offer, "Content-Type: application/sdp\r\n"), 488),
            (Prack(caller, "z9hG4bK-p9", 10, tag, $"{rseq} 1 INVITE", "hello", "Content-Type: text/plain\r\n"), 415),
        ];
        foreach (var (prack, status) in cases)
        {
            await caller.SendAsync(prack);
            var response = await ResponseToAsync(caller, "PRACK");
            Assert.True(status == response.StatusCode, $"{status} expected, got {response.StatusCode} {response.ReasonPhrase} for:\n{prack}");
        }

        // Two RAck headers: the parser refuses the duplicate singleton.
        await caller.SendAsync(Prack(caller, "z9hG4bK-p10", 11, tag, $"{rseq} 1 INVITE", extra: $"RAck: {rseq} 1 INVITE\r\n"));
        Assert.Equal(400, (await ResponseToAsync(caller, "PRACK")).StatusCode);
        Assert.True(Interlocked.Read(ref bad) - before >= cases.Length + 1, "every refused PRACK counts in sip.uas.bad_requests");

        // None of them acknowledged the 183: the right PRACK still does, and the call is answered.
        await caller.SendAsync(Prack(caller, "z9hG4bK-p11", 12, tag, $"{rseq} 1 INVITE"));
        Assert.Equal(200, (await ResponseToAsync(caller, "PRACK")).StatusCode);
        answer.SetResult();
        Assert.Equal(200, (await InviteFinalAsync(caller)).StatusCode);
    }

    [Fact]
    public async Task A_prack_outside_any_early_dialog_is_481()
    {
        await using var server = await TestUserAgent.StartAsync(new TestCallHandler());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(Prack(caller, "z9hG4bK-lost", 1, "nobody", "1 1 INVITE"));

        Assert.Equal(481, (await caller.ReceiveResponseAsync()).StatusCode);
    }

    [Fact]
    public async Task A_prack_that_never_comes_ends_the_invite_with_504_and_releases_the_call()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = EarlyHandler(answer);
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: "Require: 100rel\r\n"));
        var progress = await ProgressAsync(caller);

        // 64*T1 = 3.2 s without PRACK (RFC 3262 §3): a 5xx, the handler's token fires and its media is released.
        var final = await InviteFinalAsync(caller);
        Assert.Equal(504, final.StatusCode);
        Assert.Equal(progress.To!.Tag, final.To!.Tag);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal((call.DialogId, CallTermination.Gateway, CallTermination.ReasonPrackTimeout), await TestCallHandler.NextAsync(handler.Terminated));

        await caller.SendAsync(caller.Request("ACK", caller.InviteBranch, 1, final.To.Tag));
        await caller.SendAsync(Prack(caller, "z9hG4bK-late", 2, final.To.Tag!, $"{progress.Headers.GetFirst(SipHeaderId.RSeq)} 1 INVITE"));
        Assert.Equal(481, (await ResponseToAsync(caller, "PRACK")).StatusCode);
        Assert.Equal(0, server.ActiveDialogCount);
        Assert.False(handler.Confirmed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Cancel_during_early_media_is_487_and_stops_the_183()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = EarlyHandler(answer);
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: 100rel\r\n"));
        var progress = await ProgressAsync(caller);
        await caller.SendAsync(caller.Request("CANCEL", caller.InviteBranch, 1, null));

        Assert.Equal(200, (await ResponseToAsync(caller, "CANCEL")).StatusCode);
        var final = await InviteFinalAsync(caller);
        Assert.Equal(487, final.StatusCode);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal((call.DialogId, CallTermination.Caller, CallTermination.ReasonCancel), await TestCallHandler.NextAsync(handler.Terminated));
        await caller.SendAsync(caller.Request("ACK", caller.InviteBranch, 1, final.To!.Tag));

        // No more 183 retransmissions after the final response, and a late PRACK matches nothing.
        await caller.SendAsync(Prack(caller, "z9hG4bK-late", 2, progress.To!.Tag!, $"{progress.Headers.GetFirst(SipHeaderId.RSeq)} 1 INVITE"));
        Assert.Equal(481, (await NextResponseAsync(caller, r => r.StatusCode != 487)).StatusCode);
        await caller.ExpectSilenceAsync(500);
    }

    /// <summary>
    /// RFC 3261 §9.2 and §17.2.2: a retransmitted CANCEL is absorbed by its server transaction, which sends the same
    /// 200 again; the INVITE, already answered 487 and ACKed, sends nothing more and the call ends once. A sipp caller
    /// does exactly this when a retransmission of the unacknowledged 183 reaches it after its CANCEL: its retransmission
    /// check (-rtcheck full) re-sends the CANCEL, so uac_100rel_cancel.xml absorbs that second 200 after its ACK.
    /// </summary>
    [Fact]
    public async Task A_retransmitted_cancel_gets_the_same_200_again_and_nothing_else()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = EarlyHandler(answer);
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: 100rel\r\n"));
        await ProgressAsync(caller);
        var cancel = caller.Request("CANCEL", caller.InviteBranch, 1, null);

        await caller.SendAsync(cancel);
        var first = await ResponseToAsync(caller, "CANCEL");
        var final = await InviteFinalAsync(caller);
        await caller.SendAsync(caller.Request("ACK", caller.InviteBranch, 1, final.To!.Tag));
        await caller.SendAsync(cancel);

        var again = await ResponseToAsync(caller, "CANCEL");
        Assert.Equal((200, 487), (first.StatusCode, final.StatusCode));
        Assert.Equal(first.ToBytes(), again.ToBytes());
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal((call.DialogId, CallTermination.Caller, CallTermination.ReasonCancel), await TestCallHandler.NextAsync(handler.Terminated));

        // Half a second more: at most 487 retransmissions that crossed the ACK, never another response or a second end.
        var quietUntil = DateTime.UtcNow.AddMilliseconds(500);
        while (DateTime.UtcNow < quietUntil)
        {
            try
            {
                var late = Assert.IsType<SipResponse>(await caller.ReceiveAsync(Math.Max(1, (int)(quietUntil - DateTime.UtcNow).TotalMilliseconds)));
                Assert.Equal((487, SipMethods.Invite), (late.StatusCode, late.CSeq!.Value.Method));
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        Assert.False(handler.Terminated.Reader.TryRead(out var extra), $"second termination: {extra}");
    }

    [Fact]
    public async Task A_delayed_offer_invite_without_100rel_has_no_early_media()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        // Our offer could only go in a reliable 183 (RFC 3262 §5); with 100rel see DelayedOfferEarlyMediaTests.
        await caller.SendAsync(caller.Invite(sdp: null));

        Assert.Null((await TestCallHandler.NextAsync(handler.Incoming)).EarlyMedia);
        Assert.Equal(200, (await InviteFinalAsync(caller)).StatusCode);
    }

    [Theory]
    [InlineData("uac_100rel_early_media.xml", true)]
    [InlineData("uac_early_media.xml", false)]
    public async Task Sipp_receives_the_183_with_sdp_and_prack_it_when_reliable(string scenario, bool reliable)
    {
        var handler = new TestCallHandler(async (call, ct) =>
        {
            Assert.True(call.EarlyMedia!.Start(TestCallHandler.LocalRtp));
            await Task.Delay(300, ct);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await TestUserAgent.StartAsync(handler);

        await SippScenario.RunAsync(scenario, server.LocalEndPoint, extraArguments: ["-key", "rtp_port", "6000"]);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(reliable, call.EarlyMedia!.IsReliable);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.Equal((call.DialogId, CallTermination.Caller, "bye"), await TestCallHandler.NextAsync(handler.Terminated));
    }
}
