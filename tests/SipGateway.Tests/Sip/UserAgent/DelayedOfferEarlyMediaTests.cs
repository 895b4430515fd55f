using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Early media for an INVITE without an offer (RFC 3262 §5, RFC 3264): when the caller allows 100rel our offer goes in
/// the reliable 183 and the PRACK must carry the answer, which sets where the announcement's RTP goes; the 200 repeats
/// the offer and the ACK brings nothing more. sipp checks the same (deploy/sipp/uac_100rel_delayed_offer.xml).
/// </summary>
public sealed class DelayedOfferEarlyMediaTests
{
    private const string Answer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 6002 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private static async Task<SipResponse> NextAsync(SipTestCaller caller, Func<SipResponse, bool> match)
    {
        while (true)
        {
            var response = await caller.ReceiveResponseAsync();
            if (match(response))
            {
                return response;
            }
        }
    }

    private static Task<SipResponse> PrackResponseAsync(SipTestCaller caller) => NextAsync(caller, r => r.CSeq!.Value.Method == SipMethods.Prack);

    private static string Prack(SipTestCaller caller, int cseq, string toTag, string rseq, string body = "") =>
        caller.Request("PRACK", "z9hG4bK-dprack" + cseq, cseq, toTag, body, $"RAck: {rseq} 1 INVITE\r\n" + (body.Length > 0 ? "Content-Type: application/sdp\r\n" : string.Empty));

    [Fact]
    public async Task A_100rel_caller_gets_our_offer_in_a_reliable_183_and_answers_it_in_the_prack()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestCallHandler(async (call, ct) =>
        {
            Assert.True(call.DelayedOffer);
            Assert.True(call.EarlyMedia!.Start(TestCallHandler.LocalRtp));
            await answer.Task.WaitAsync(ct);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(sdp: null, extraHeaders: "Supported: 100rel\r\n"));
        var progress = await NextAsync(caller, r => r.StatusCode == 183);
        var call = await TestCallHandler.NextAsync(handler.Incoming);

        // The 183 is reliable and carries our offer: every configured codec and telephone-event.
        Assert.True(call.EarlyMedia!.IsReliable);
        Assert.Contains("100rel", progress.Headers.GetAll(SipHeaderId.Require));
        var offer = Encoding.ASCII.GetString(progress.Body.Span);
        Assert.Contains("m=audio 40000 RTP/AVP 0 8 101", offer, StringComparison.Ordinal);
        var rseq = progress.Headers.GetFirst(SipHeaderId.RSeq)!;
        var tag = progress.To!.Tag!;

        // The PRACK must answer (RFC 3262 §5): 400 without SDP, 488 for an answer we cannot use; neither acknowledges,
        // and early audio still has nowhere to go.
        var answered = call.EarlyMedia.WhenAnsweredAsync();
        await caller.SendAsync(Prack(caller, 2, tag, rseq));
        Assert.Equal(400, (await PrackResponseAsync(caller)).StatusCode);
        await caller.SendAsync(Prack(caller, 3, tag, rseq, Answer.Replace("RTP/AVP 8 101", "RTP/AVP 18", StringComparison.Ordinal)));
        Assert.Equal(488, (await PrackResponseAsync(caller)).StatusCode);
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _));
        Assert.False(answered.IsCompleted);

        await caller.SendAsync(Prack(caller, 4, tag, rseq, Answer));
        Assert.Equal(200, (await PrackResponseAsync(caller)).StatusCode);
        var (dialogId, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal(call.DialogId, dialogId);
        Assert.Equal((6002, "PCMA"), (update.RemoteRtp.Port, update.Codec.EncodingName));
        Assert.True(update.SendsAudio);
        Assert.True(await answered.WaitAsync(TimeSpan.FromSeconds(5)));

        // The 200 repeats the offer the PRACK answered, byte for byte; the ACK carries no answer and confirms the call.
        answer.SetResult();
        var ok = await NextAsync(caller, r => r.StatusCode >= 200 && r.CSeq!.Value.Method == SipMethods.Invite);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(offer, Encoding.ASCII.GetString(ok.Body.Span));
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-dack", 1, tag));
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.False(handler.Terminated.Reader.TryRead(out _));

        await caller.SendAsync(caller.Request("BYE", "z9hG4bK-dbye", 5, tag));
        Assert.Equal((call.DialogId, CallTermination.Caller, CallTermination.ReasonBye), await TestCallHandler.NextAsync(handler.Terminated));
    }

    [Fact]
    public async Task Early_audio_waits_for_the_answer_only_when_the_invite_had_no_offer_and_a_cancel_ends_the_wait()
    {
        var media = new TaskCompletionSource<IEarlyMedia>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestCallHandler(async (call, ct) =>
        {
            Assert.True(call.EarlyMedia!.Start(TestCallHandler.LocalRtp));
            media.TrySetResult(call.EarlyMedia);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await TestUserAgent.StartAsync(handler);

        // With an offer in the INVITE the caller's address is known from the start.
        using (var offering = new SipTestCaller(server.LocalEndPoint))
        {
            await offering.SendAsync(offering.Invite(extraHeaders: "Supported: 100rel\r\n"));
            Assert.True(await (await media.Task.WaitAsync(TimeSpan.FromSeconds(5))).WhenAnsweredAsync().WaitAsync(TimeSpan.FromSeconds(5)));
            await offering.SendAsync(offering.Request("CANCEL", offering.InviteBranch, 1, null));
        }

        media = new TaskCompletionSource<IEarlyMedia>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(sdp: null, extraHeaders: "Supported: 100rel\r\n"));
        var answered = (await media.Task.WaitAsync(TimeSpan.FromSeconds(5))).WhenAnsweredAsync();
        Assert.False(answered.IsCompleted);

        // CANCEL before any PRACK: the 183's offer was never answered.
        await caller.SendAsync(caller.Request("CANCEL", caller.InviteBranch, 1, null));
        Assert.False(await answered.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(487, (await NextAsync(caller, r => r.StatusCode >= 200 && r.CSeq!.Value.Method == SipMethods.Invite)).StatusCode);
    }

    [Fact]
    public async Task Sipp_answers_our_offer_in_its_prack_and_the_call_is_set_up()
    {
        var handler = new TestCallHandler(async (call, ct) =>
        {
            Assert.True(call.EarlyMedia!.Start(TestCallHandler.LocalRtp));
            await Task.Delay(300, ct);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await TestUserAgent.StartAsync(handler);

        await SippScenario.RunAsync("uac_100rel_delayed_offer.xml", server.LocalEndPoint, extraArguments: ["-key", "rtp_port", "6004"]);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.True(call.DelayedOffer);
        var (dialogId, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal((call.DialogId, 6004), (dialogId, update.RemoteRtp.Port));
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.Equal((call.DialogId, CallTermination.Caller, CallTermination.ReasonBye), await TestCallHandler.NextAsync(handler.Terminated));
    }
}
