using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>Sip:Srtp:Mode=Required at the user agent: nothing but an SDES offer gets a call (raw INVITEs over UDP).</summary>
public sealed class SrtpPolicyTests
{
    private const string SavpOffer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n";

    [Theory]
    [InlineData(SipTestCaller.Offer)] // plain RTP/AVP
    [InlineData(null)] // delayed offer: our offer would be plain
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

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler)
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200) };
        options.Srtp.Mode = SrtpMode.Required;
        var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        return server;
    }
}
