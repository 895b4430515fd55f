using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Sip:Srtp:Mode=Required at the user agent: nothing but an SDES offer gets a call, and a delayed-offer INVITE gets an
/// SDES offer of ours (in the 200, or in the reliable 183 before it) whose answer must accept it (raw messages over UDP).
/// </summary>
[Collection(DelayedOfferFailureCounter.Collection)]
public sealed class SrtpPolicyTests
{
    private const string SavpOffer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n";

    [Theory]
    [InlineData(SipTestCaller.Offer)] // plain RTP/AVP
    public async Task Required_refuses_anything_but_an_sdes_offer_with_488(string? sdp)
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(sdp));

        var final = await caller.ReceiveFinalResponseAsync();
        Assert.Equal((488, "SRTP required"), (final.StatusCode, final.ReasonPhrase));
        Assert.Equal(0, handler.Incoming.Reader.Count);
    }

    [Fact]
    public async Task Required_accepts_an_sdes_offer_and_answers_with_its_own_key()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(SavpOffer));

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        var final = await caller.ReceiveFinalResponseAsync();
        Assert.Equal(200, final.StatusCode);
        Assert.True(SdpParser.TryParse(final.Body.Span, out var answer, out var error), error);
        Assert.Equal("RTP/SAVP", answer.Media[0].Protocol);
        Assert.True(answer.Media[0].Cryptos[0].TryGetUsableKey(out var ours));
        Assert.True(ours!.SameAs(call.Srtp!.Local));
        Assert.Equal("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", call.Srtp.Remote.ToBase64());
    }

    [Fact]
    public async Task Required_makes_the_delayed_offer_srtp_and_takes_the_peer_key_from_the_ack()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(sdp: null));

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        var ok = await caller.ReceiveFinalResponseAsync();
        Assert.Equal(200, ok.StatusCode);
        var ours = OfferedKey(ok);
        Assert.True(ours.SameAs(call.OfferedSrtpKey!));
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, ok.To!.Tag, SavpAnswer("1 AES_CM_128_HMAC_SHA1_80 inline:" + PeerKey), "Content-Type: application/sdp\r\n"));

        var (_, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.True(update.Srtp!.Local.SameAs(ours));
        Assert.Equal(PeerKey, update.Srtp.Remote.ToBase64());
        Assert.Equal((1, "AES_CM_128_HMAC_SHA1_80"), (update.Srtp.Tag, update.Srtp.Suite));
        await TestCallHandler.NextAsync(handler.Confirmed);
    }

    [Fact]
    public async Task Required_makes_the_offer_in_the_reliable_183_srtp_the_prack_brings_the_peer_key_and_the_200_repeats_it()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new TestCallHandler(async (call, ct) =>
        {
            Assert.True(call.EarlyMedia!.Start(TestCallHandler.LocalRtp));
            await answer.Task.WaitAsync(ct);
            return MediaAcceptance.Accept(TestCallHandler.LocalRtp);
        });
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(sdp: null, extraHeaders: "Supported: 100rel\r\n"));
        var progress = await NextAsync(caller, r => r.StatusCode == 183);
        var call = await TestCallHandler.NextAsync(handler.Incoming);
        var ours = OfferedKey(progress);
        Assert.True(ours.SameAs(call.OfferedSrtpKey!));
        var rseq = progress.Headers.GetFirst(SipHeaderId.RSeq)!;
        var tag = progress.To!.Tag!;

        // RFC 4568 §7.1.3: a plain answer in the PRACK refuses our SRTP offer (488, the 183 still unacknowledged).
        await caller.SendAsync(Prack(caller, 2, tag, rseq, SavpAnswer(string.Empty).Replace("RTP/SAVP", "RTP/AVP", StringComparison.Ordinal)));
        Assert.Equal(488, (await NextAsync(caller, r => r.CSeq!.Value.Method == SipMethods.Prack)).StatusCode);
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _));

        await caller.SendAsync(Prack(caller, 3, tag, rseq, SavpAnswer("1 AES_CM_128_HMAC_SHA1_80 inline:" + PeerKey)));
        Assert.Equal(200, (await NextAsync(caller, r => r.CSeq!.Value.Method == SipMethods.Prack)).StatusCode);
        var (_, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.True(update.Srtp!.Local.SameAs(ours));
        Assert.Equal(PeerKey, update.Srtp.Remote.ToBase64());

        // The 200 repeats the 183's SRTP offer byte for byte (RFC 3261 §13.2.1) and the ACK brings no answer.
        answer.SetResult();
        var ok = await NextAsync(caller, r => r.StatusCode >= 200 && r.CSeq!.Value.Method == SipMethods.Invite);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(progress.Body.ToArray(), ok.Body.ToArray());
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, tag));
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Each_delayed_offer_gets_a_fresh_key()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var first = new SipTestCaller(server.LocalEndPoint);
        using var second = new SipTestCaller(server.LocalEndPoint);

        await first.SendAsync(first.Invite(sdp: null));
        await second.SendAsync(second.Invite(sdp: null));

        var a = OfferedKey(await first.ReceiveFinalResponseAsync());
        var b = OfferedKey(await second.ReceiveFinalResponseAsync());
        Assert.False(a.SameAs(b));
    }

    /// <summary>RFC 4568 §7.1.3: an answer to our RTP/SAVP offer that does not accept our crypto line is no answer.</summary>
    [Theory]
    [InlineData("RTP/AVP", "")] // plain RTP answer
    [InlineData("RTP/SAVP", "")] // SAVP without a key
    [InlineData("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_32 inline:" + PeerKey)] // another suite
    [InlineData("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=")] // a key of the wrong length
    [InlineData("RTP/SAVP", "2 AES_CM_128_HMAC_SHA1_80 inline:" + PeerKey)] // a tag we never offered
    public async Task An_answer_that_refuses_our_srtp_offer_ends_the_call_with_a_488_reason_and_is_counted(string profile, string crypto)
    {
        using var failures = new DelayedOfferFailureCounter();
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(sdp: null));
        var ok = await caller.ReceiveFinalResponseAsync();
        var answer = SavpAnswer(crypto).Replace("RTP/SAVP", profile, StringComparison.Ordinal);

        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, ok.To!.Tag, answer, "Content-Type: application/sdp\r\n"));

        var bye = await caller.ReceiveRequestAsync("BYE");
        Assert.StartsWith("SIP ;cause=488 ;text=\"unusable SDP answer: ", bye.Headers.GetFirst("Reason"), StringComparison.Ordinal);
        await caller.SendAsync(SipTestCaller.ResponseTo(bye));
        var (_, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal((CallTermination.Gateway, CallTermination.ReasonBadAnswer), (endedBy, reason));
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _));
        Assert.False(handler.Confirmed.Reader.TryRead(out _));
        await Eventually.TrueAsync(() => failures.Reasons.Contains("unusable"), TimeSpan.FromSeconds(5));
    }

    private const string PeerKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

    private static string SavpAnswer(string crypto) =>
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6002 RTP/SAVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" + (crypto.Length == 0 ? string.Empty : "a=crypto:" + crypto + "\r\n") + "a=sendrecv\r\n";

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

    private static string Prack(SipTestCaller caller, int cseq, string toTag, string rseq, string body) =>
        caller.Request("PRACK", "z9hG4bK-sprack" + cseq, cseq, toTag, body, $"RAck: {rseq} 1 INVITE\r\nContent-Type: application/sdp\r\n");

    private static SrtpMasterKey OfferedKey(SipResponse ok)
    {
        Assert.True(SdpParser.TryParse(ok.Body.Span, out var offer, out var error), error);
        var audio = Assert.Single(offer.Media);
        Assert.Equal("RTP/SAVP", audio.Protocol);
        var crypto = Assert.Single(audio.Cryptos);
        Assert.Equal(1, crypto.Tag);
        Assert.True(crypto.TryGetUsableKey(out var key));
        return key!;
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler)
    {
        var options = TestUserAgent.LoopbackOptions();
        options.Srtp.Mode = SrtpMode.Required;
        return await TestUserAgent.StartAsync(handler, options);
    }
}
