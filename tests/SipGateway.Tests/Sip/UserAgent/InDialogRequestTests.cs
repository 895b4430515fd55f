using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>re-INVITE, UPDATE, INFO and session timers inside an established dialog, driven by a hand-written caller.</summary>
public sealed class InDialogRequestTests
{
    private static string Sdp(string direction = "sendrecv", string address = "127.0.0.1", int port = 6000, string formats = "8 0 101") =>
        $"v=0\r\no=caller 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 {address}\r\nt=0 0\r\n" +
        $"m=audio {port} RTP/AVP {formats}\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na={direction}\r\n";

    private static SipOptions Options(TimeSpan? minSe = null) => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 0,
        T1 = TimeSpan.FromMilliseconds(50),
        T2 = TimeSpan.FromMilliseconds(200),
        MinSessionExpires = minSe ?? TimeSpan.FromSeconds(90),
    };

    [Theory]
    [InlineData("sendonly", "127.0.0.1", "recvonly", false, 2)]
    [InlineData("inactive", "127.0.0.1", "inactive", false, 2)]
    [InlineData("sendrecv", "0.0.0.0", "sendrecv", false, 1)] // legacy hold: our answer is unchanged, so is its version
    [InlineData("recvonly", "127.0.0.1", "sendonly", true, 2)]
    public async Task ReInvite_hold_variants_are_answered_and_reported(string offered, string address, string answered, bool sends, int version)
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await EstablishAsync(caller);

        await caller.SendAsync(ReInvite(caller, toTag, 2, Sdp(offered, address)));
        var ok = await ResponseForAsync(caller, 2);
        Assert.Equal(200, ok.StatusCode);
        var body = Encoding.ASCII.GetString(ok.Body.Span);
        Assert.Contains("a=" + answered + "\r\n", body, StringComparison.Ordinal);
        Assert.Matches($@"o=- \d+ {version} IN IP4 ", body); // RFC 3264 §8: +1 only when the SDP changed.
        Assert.NotNull(ok.Headers.GetFirst(SipHeaderId.Contact));

        var (updated, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal(dialogId, updated);
        Assert.Equal(sends, update.SendsAudio);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), 6000), update.RemoteRtp);
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack2", 2, toTag));
    }

    [Fact]
    public async Task Unchanged_reoffer_keeps_the_version_and_codec_change_bumps_it()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await EstablishAsync(caller);

        await caller.SendAsync(ReInvite(caller, toTag, 2, SipTestCaller.Offer));
        var same = await ResponseForAsync(caller, 2);
        Assert.Matches(@"o=- \d+ 1 IN IP4 ", Encoding.ASCII.GetString(same.Body.Span));
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-a2", 2, toTag));

        await caller.SendAsync(ReInvite(caller, toTag, 3, Sdp(formats: "0 101", port: 7000)));
        var changed = await ResponseForAsync(caller, 3);
        var body = Encoding.ASCII.GetString(changed.Body.Span);
        Assert.Matches(@"o=- \d+ 2 IN IP4 ", body);
        Assert.Contains("a=rtpmap:0 PCMU/8000", body, StringComparison.Ordinal);
        _ = await TestCallHandler.NextAsync(handler.MediaUpdates);
        var (_, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal((AudioCodec.Pcmu, 7000), (update.Codec, update.RemoteRtp.Port));
    }

    [Fact]
    public async Task ReInvite_before_the_previous_one_is_acknowledged_gets_491_and_an_old_cseq_gets_500()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await EstablishAsync(caller);

        await caller.SendAsync(ReInvite(caller, toTag, 2, Sdp("sendonly"), "z9hG4bK-r2"));
        Assert.Equal(200, (await ResponseForAsync(caller, 2)).StatusCode);
        await caller.SendAsync(ReInvite(caller, toTag, 3, Sdp(), "z9hG4bK-r3"));
        Assert.Equal(491, (await ResponseForAsync(caller, 3)).StatusCode);

        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-a2", 2, toTag));
        await caller.SendAsync(ReInvite(caller, toTag, 3, Sdp(), "z9hG4bK-r3b"));
        Assert.Equal(500, (await ResponseForAsync(caller, 3, "z9hG4bK-r3b")).StatusCode);
        await caller.SendAsync(ReInvite(caller, toTag, 4, Sdp(), "z9hG4bK-r4"));
        Assert.Equal(200, (await ResponseForAsync(caller, 4)).StatusCode);
    }

    [Fact]
    public async Task Offerless_reinvite_gets_our_offer_and_the_answer_in_the_ack_applies()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await EstablishAsync(caller);

        await caller.SendAsync(caller.Request("INVITE", "z9hG4bK-nooffer", 2, toTag, extraHeaders: $"Contact: <sip:caller@127.0.0.1:{caller.Port}>\r\n"));
        var ok = await ResponseForAsync(caller, 2);
        Assert.Equal(200, ok.StatusCode);
        Assert.True(SdpParser.TryParse(ok.Body.Span, out var offer, out var error), error);
        Assert.Equal(["8", "0", "101"], offer.Media[0].Formats); // current codec (PCMA) first
        Assert.Equal(SdpDirection.SendRecv, offer.Media[0].Direction);

        var answer = Sdp(formats: "0", port: 6100);
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack-ans", 2, toTag, answer, "Content-Type: application/sdp\r\n"));
        var (updated, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
        Assert.Equal((dialogId, AudioCodec.Pcmu, 6100), (updated, update.Codec, update.RemoteRtp.Port));
    }

    [Fact]
    public async Task Update_with_and_without_offer()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await EstablishAsync(caller);

        await caller.SendAsync(caller.Request("UPDATE", "z9hG4bK-u2", 2, toTag, Sdp("sendonly"), "Content-Type: application/sdp\r\n"));
        var ok = await ResponseForAsync(caller, 2);
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("a=recvonly", Encoding.ASCII.GetString(ok.Body.Span), StringComparison.Ordinal);
        Assert.False((await TestCallHandler.NextAsync(handler.MediaUpdates)).Update.SendsAudio);

        await caller.SendAsync(caller.Request("UPDATE", "z9hG4bK-u3", 3, toTag));
        var refresh = await ResponseForAsync(caller, 3);
        Assert.Equal(200, refresh.StatusCode);
        Assert.True(refresh.Body.IsEmpty);

        await caller.SendAsync(caller.Request("UPDATE", "z9hG4bK-u4", 4, "no-such-tag"));
        Assert.Equal(481, (await ResponseForAsync(caller, 4)).StatusCode);
    }

    [Theory]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", "", 200, '5', 160)]
    [InlineData("application/dtmf", "#", "", 200, '#', 0)]
    [InlineData("application/dtmf-relay", "Signal=x\r\n", "", 400, '\0', 0)]
    [InlineData("text/plain", "hello", "", 415, '\0', 0)]
    [InlineData("application/dtmf-relay", "Signal=5\r\n", "Info-Package: dtmf\r\n", 469, '\0', 0)]
    public async Task Info_bodies(string contentType, string body, string extra, int expected, char digit, int durationMs)
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, dialogId) = await EstablishAsync(caller);

        await caller.SendAsync(caller.Request("INFO", "z9hG4bK-i2", 2, toTag, body, $"Content-Type: {contentType}\r\n{extra}"));
        var response = await ResponseForAsync(caller, 2);
        Assert.Equal(expected, response.StatusCode);
        if (expected == 200)
        {
            Assert.Equal((dialogId, digit, TimeSpan.FromMilliseconds(durationMs), DtmfSource.Info), await TestCallHandler.NextAsync(handler.Dtmf));
        }
        else
        {
            Assert.False(handler.Dtmf.Reader.TryRead(out _));
        }
    }

    [Fact]
    public async Task Too_small_session_interval_gets_422_with_min_se()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: timer\r\nSession-Expires: 60\r\n"));
        var response = await caller.ReceiveResponseAsync();
        Assert.Equal(422, response.StatusCode);
        Assert.Equal("90", response.Headers.GetFirst("Min-SE"));
        Assert.False(handler.Incoming.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Too_small_session_interval_in_a_reinvite_gets_422_and_keeps_the_session()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await EstablishAsync(caller);

        await caller.SendAsync(caller.Request("INVITE", "z9hG4bK-se", 2, toTag, Sdp("sendonly"),
            $"Contact: <sip:caller@127.0.0.1:{caller.Port}>\r\nContent-Type: application/sdp\r\nSupported: timer\r\nSession-Expires: 30\r\n"));
        var response = await ResponseForAsync(caller, 2);
        Assert.Equal((422, "90"), (response.StatusCode, response.Headers.GetFirst("Min-SE")));
        Assert.False(handler.MediaUpdates.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Session_timer_is_confirmed_in_the_2xx_and_require_timer_is_accepted()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: timer\r\nRequire: timer\r\nSession-Expires: 1800\r\n"));
        var ok = await ResponseForAsync(caller, 1, status: 200);
        Assert.Equal("1800;refresher=uac", ok.Headers.GetFirst(SipHeaderId.SessionExpires));
        Assert.Equal("timer", ok.Headers.GetFirst(SipHeaderId.Require));
    }

    [Fact]
    public async Task Gateway_refreshes_with_update_when_it_is_the_refresher()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options(TimeSpan.FromSeconds(1)));
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (toTag, _) = await EstablishAsync(caller, "Supported: timer\r\nSession-Expires: 2;refresher=uas\r\nAllow: INVITE, ACK, BYE, UPDATE\r\n");

        var update = await RequestAsync(caller, "UPDATE", 4000);
        Assert.Equal("2;refresher=uac", update.Headers.GetFirst(SipHeaderId.SessionExpires));
        Assert.Equal(toTag, update.From!.Tag);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Gateway_refreshes_with_reinvite_when_the_peer_does_not_allow_update_and_acks_every_2xx()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options(TimeSpan.FromSeconds(1)));
        using var caller = new SipTestCaller(server.LocalEndPoint);
        await caller.SendAsync(caller.Invite(extraHeaders: "Supported: timer\r\nSession-Expires: 2;refresher=uas\r\nAllow: INVITE, ACK, BYE\r\n"));
        var ok = await ResponseForAsync(caller, 1, status: 200);
        var initialSdp = Encoding.ASCII.GetString(ok.Body.Span);
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack1", 1, ok.To!.Tag));

        var reInvite = await caller.ReceiveRequestAsync("INVITE", 4000);
        Assert.Equal("2;refresher=uac", reInvite.Headers.GetFirst(SipHeaderId.SessionExpires));
        Assert.Equal(initialSdp, Encoding.ASCII.GetString(reInvite.Body.Span)); // same SDP, same o= version
        var answer = SipTestCaller.ResponseTo(reInvite).Replace("Content-Length: 0\r\n\r\n",
            $"Content-Type: application/sdp\r\nContent-Length: {SipTestCaller.Offer.Length}\r\n\r\n{SipTestCaller.Offer}", StringComparison.Ordinal);
        await caller.SendAsync(answer);
        var ack = await caller.ReceiveRequestAsync("ACK");
        Assert.Equal(new CSeqHeader(reInvite.CSeq!.Value.Number, "ACK"), ack.CSeq);
        Assert.NotEqual(reInvite.TopVia!.Branch, ack.TopVia!.Branch);

        await caller.SendAsync(answer); // a retransmitted 2xx is ACKed again, identically
        var again = await caller.ReceiveRequestAsync("ACK");
        Assert.Equal(ack.TopVia.Branch, again.TopVia!.Branch);
        Assert.False(handler.Terminated.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Session_expires_without_refresh_and_the_gateway_sends_bye()
    {
        var handler = new TestCallHandler();
        await using var server = await StartAsync(handler, Options(TimeSpan.FromSeconds(1)));
        using var caller = new SipTestCaller(server.LocalEndPoint);
        var (_, dialogId) = await EstablishAsync(caller, "Supported: timer\r\nSession-Expires: 2;refresher=uac\r\n");

        // RFC 4028 §10: BYE at interval - min(32, interval/3) = 2 s - 0.67 s after the 2xx.
        var bye = await RequestAsync(caller, "BYE", 4000);
        Assert.Equal(caller.CallId, bye.CallId);
        Assert.Equal((dialogId, CallTermination.Gateway, CallTermination.ReasonSessionExpired), await TestCallHandler.NextAsync(handler.Terminated));
    }

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler, SipOptions options)
    {
        return await TestUserAgent.StartAsync(handler, options);
    }

    internal static async Task<(string ToTag, string DialogId)> EstablishAsync(SipTestCaller caller, string extraHeaders = "")
    {
        await caller.SendAsync(caller.Invite(extraHeaders: extraHeaders));
        var ok = await ResponseForAsync(caller, 1, status: 200);
        var toTag = ok.To!.Tag!;
        await caller.SendAsync(caller.Request("ACK", "z9hG4bK-ack1", 1, toTag));
        return (toTag, $"{caller.CallId};{toTag}");
    }

    private static string ReInvite(SipTestCaller caller, string toTag, int cseq, string sdp, string? branch = null) =>
        caller.Request("INVITE", branch ?? "z9hG4bK-reinv-" + cseq, cseq, toTag, sdp,
            $"Contact: <sip:caller@127.0.0.1:{caller.Port}>\r\nContent-Type: application/sdp\r\n");

    /// <summary>Skips retransmissions and provisional responses of earlier transactions.</summary>
    internal static async Task<SipResponse> ResponseForAsync(SipTestCaller caller, int cseq, string? branch = null, int status = 0)
    {
        while (true)
        {
            if (await caller.ReceiveAsync() is SipResponse r && r.CSeq!.Value.Number == cseq && r.StatusCode >= 200
                && (branch is null || r.TopVia!.Branch == branch) && (status == 0 || r.StatusCode == status))
            {
                return r;
            }
        }
    }

    private static async Task<SipRequest> RequestAsync(SipTestCaller caller, string method, int timeoutMs)
    {
        var request = await caller.ReceiveRequestAsync(method, timeoutMs);
        await caller.SendAsync(SipTestCaller.ResponseTo(request));
        return request;
    }
}
