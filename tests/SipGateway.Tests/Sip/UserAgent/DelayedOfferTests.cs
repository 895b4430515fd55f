using System.Net;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// INVITE without an offer (RFC 3261 §13.2.1, RFC 3264 §5): our 2xx offers, the ACK answers. Raw messages check the
/// details; sipp (deploy/sipp/uac_delayed_offer*.xml) checks it against a real UA.
/// </summary>
[Collection(DelayedOfferFailureCounter.Collection)]
public sealed class DelayedOfferTests
{
    private const string Answer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 6002 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";

    private static Task<SipResponse> FinalAsync(SipTestCaller caller) => caller.ReceiveFinalResponseAsync();

    [Fact]
    public async Task The_200_carries_our_offer_and_the_ack_answer_sets_the_media()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(sdp: null));

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.True(call.DelayedOffer);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), call.RemoteRtp);
        Assert.Equal(AudioCodec.Pcmu, call.Codec);
        var ok = await FinalAsync(caller);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("application/sdp", ok.ContentType);
        Assert.True(SdpParser.TryParse(ok.Body.Span, out var offer, out var error), error);
        var audio = Assert.Single(offer.Media);
        Assert.Equal(TestCallHandler.LocalRtp.Port, audio.Port);
        Assert.Equal(["0", "8", "101"], audio.Formats);

        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, ok.To!.Tag, Answer, "Content-Type: application/sdp\r\n"));

        var (dialogId, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal(call.DialogId, dialogId);
        Assert.Equal((AudioCodec.Pcma, new IPEndPoint(IPAddress.Loopback, 6002), 101, true), (update.Codec, update.RemoteRtp, update.TelephoneEventPayloadType, update.SendsAudio));
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));

        await caller.SendAsync(caller.Request("BYE", "z9hG4bK-bye", 2, ok.To.Tag));
        Assert.Equal(200, (await caller.ReceiveResponseAsync()).StatusCode);
        Assert.Equal(CallTermination.ReasonBye, (await TestCallHandler.NextAsync(handler.Terminated)).Reason);
    }

    [Theory]
    [InlineData("", CallTermination.ReasonNoAnswer)]
    [InlineData("v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6002 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n", CallTermination.ReasonBadAnswer)]
    [InlineData("this is not sdp", CallTermination.ReasonBadAnswer)]
    public async Task An_ack_without_a_usable_answer_ends_the_call_with_a_reasoned_bye(string answer, string reason)
    {
        using var failures = new DelayedOfferFailureCounter();
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(sdp: null));
        var ok = await FinalAsync(caller);

        var contentType = answer.Length == 0 ? string.Empty : "Content-Type: application/sdp\r\n";
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack", 1, ok.To!.Tag, answer, contentType));

        var bye = await caller.ReceiveRequestAsync("BYE");
        Assert.StartsWith("SIP ;cause=488 ;text=", bye.Headers.GetFirst("Reason"), StringComparison.Ordinal);
        await caller.SendAsync(SipTestCaller.ResponseTo(bye));
        var (_, endedBy, ended) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal((CallTermination.Gateway, reason), (endedBy, ended));
        Assert.False(handler.Confirmed.Reader.TryRead(out _));
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _));
        await Eventually.TrueAsync(() => server.ActiveDialogCount == 0, TimeSpan.FromSeconds(5));
        Assert.Equal([reason == CallTermination.ReasonNoAnswer ? "missing" : "unusable"], failures.Reasons);
    }

    [Fact]
    public async Task An_offer_in_update_before_the_ack_gets_491()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(sdp: null));
        var ok = await FinalAsync(caller);

        // RFC 3311 §5.2: our offer awaits its answer, so an offer of the peer's own is glare.
        await caller.SendAsync(caller.Request("UPDATE", "z9hG4bK-upd", 2, ok.To!.Tag, SipTestCaller.Offer, "Content-Type: application/sdp\r\n"));

        // Read past our 200's retransmissions (T1 is 50 ms and this test never ACKs).
        Assert.Equal(491, (await InDialogRequestTests.ResponseForAsync(caller, 2)).StatusCode);
    }

    [Fact]
    public async Task Sipp_delayed_offer_call()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);

        await SippScenario.RunAsync("uac_delayed_offer.xml", server.LocalEndPoint);

        Assert.True((await TestCallHandler.NextAsync(handler.Incoming)).DelayedOffer);
        var update = (await TestCallHandler.NextAsync(handler.MediaUpdates)).Update;
        Assert.Equal((AudioCodec.Pcmu, true), (update.Codec, update.SendsAudio));
        await TestCallHandler.NextAsync(handler.Confirmed);
        Assert.Equal(CallTermination.ReasonBye, (await TestCallHandler.NextAsync(handler.Terminated)).Reason);
    }

    [Fact]
    public async Task Sipp_ack_without_answer_gets_bye()
    {
        var handler = new TestCallHandler();
        await using var server = await TestUserAgent.StartAsync(handler);

        await SippScenario.RunAsync("uac_delayed_offer_no_answer.xml", server.LocalEndPoint);

        Assert.Equal(CallTermination.ReasonNoAnswer, (await TestCallHandler.NextAsync(handler.Terminated)).Reason);
        Assert.False(handler.Confirmed.Reader.TryRead(out _));
    }
}
