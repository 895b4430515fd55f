using System.Text;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Tests.Sdp;

/// <summary>SDES (RFC 4568) in offer/answer: which crypto lines are usable, the three policies, and the answer.</summary>
public sealed class SdpSrtpNegotiationTests
{
    // RFC 4568 §5.1's example key, and a baresip-style mandatory-SRTP offer with two suites, the one we speak second.
    private const string Key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    private const string SavpOffer =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 10000 RTP/SAVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
        "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" +
        "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^31\r\na=sendrecv\r\n";

    private const string BestEffortOffer =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "\r\n";

    private const string PlainOffer =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10000 RTP/AVP 0\r\n";

    [Theory]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key, true)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^20", true)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^20|1:4", false)] // MKI
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|1:4", false)] // MKI without lifetime
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + ";inline:" + Key, false)] // two keys
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + " KDR=1", false)] // session parameter
    [InlineData("1 AES_CM_128_HMAC_SHA1_32 inline:" + Key, false)] // other suite
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=", false)] // wrong key length
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:!!notbase64!!", false)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 key:" + Key, false)]
    public void Only_single_inline_keys_of_our_suite_are_usable(string value, bool usable)
    {
        Assert.True(SdpCrypto.TryParse(value, out var crypto));
        Assert.Equal(usable, crypto!.TryGetUsableKey(out var key));
        Assert.Equal(usable, key is not null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:abc")]
    [InlineData("1234567890 AES_CM_128_HMAC_SHA1_80 inline:abc")] // tag over 9 digits
    [InlineData("1 AES_CM_128_HMAC_SHA1_80")]
    public void Malformed_crypto_lines_do_not_parse(string value) => Assert.False(SdpCrypto.TryParse(value, out _));

    [Fact]
    public void A_savp_offer_is_answered_in_savp_with_the_chosen_tag_and_a_fresh_key()
    {
        var result = Negotiate(SavpOffer, SrtpMode.Optional);

        Assert.True(result.IsSuccess, result.FailureReason);
        var keys = Assert.IsType<SrtpKeys>(result.Srtp);
        Assert.Equal(2, keys.Tag);
        Assert.Equal(Key, keys.Remote.ToBase64());
        Assert.NotEqual(Key, keys.Local.ToBase64());
        var answer = Answer(SavpOffer, result);
        Assert.Contains("m=audio 4000 RTP/SAVP 0 101\r\n", answer, StringComparison.Ordinal);
        Assert.Contains($"a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:{keys.Local.ToBase64()}\r\n", answer, StringComparison.Ordinal);
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(answer), out var parsed, out _));
        Assert.True(parsed!.Media[0].Cryptos[0].TryGetUsableKey(out var echoed));
        Assert.Equal(keys.Local.ToBase64(), echoed!.ToBase64());
    }

    [Fact]
    public void Best_effort_srtp_on_rtp_avp_is_answered_in_kind()
    {
        var result = Negotiate(BestEffortOffer, SrtpMode.Optional);

        Assert.Equal(7, result.Srtp!.Tag);
        Assert.Contains("m=audio 4000 RTP/AVP 0\r\n", Answer(BestEffortOffer, result), StringComparison.Ordinal);
        Assert.Contains("a=crypto:7 ", Answer(BestEffortOffer, result), StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_answers_a_plain_offer_without_crypto()
    {
        var result = Negotiate(PlainOffer, SrtpMode.Optional);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Srtp);
        Assert.DoesNotContain("crypto", Answer(PlainOffer, result), StringComparison.Ordinal);
    }

    [Fact]
    public void Required_refuses_a_plain_offer()
    {
        var result = Negotiate(PlainOffer, SrtpMode.Required);

        Assert.False(result.IsSuccess);
        Assert.Equal("SRTP required", result.FailureReason);
    }

    [Fact]
    public void Off_ignores_best_effort_crypto_and_refuses_savp()
    {
        var bestEffort = Negotiate(BestEffortOffer, SrtpMode.Off);
        Assert.True(bestEffort.IsSuccess);
        Assert.Null(bestEffort.Srtp);
        Assert.DoesNotContain("crypto", Answer(BestEffortOffer, bestEffort), StringComparison.Ordinal);

        var savp = Negotiate(SavpOffer, SrtpMode.Off);
        Assert.False(savp.IsSuccess);
        Assert.Equal("SRTP is disabled", savp.FailureReason);
    }

    [Fact]
    public void A_savp_offer_without_a_usable_key_is_refused()
    {
        var offer = SavpOffer.Replace("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", StringComparison.Ordinal);

        var result = Negotiate(offer, SrtpMode.Optional);

        Assert.False(result.IsSuccess);
        Assert.Equal("No supported SRTP crypto attribute offered", result.FailureReason);
    }

    [Fact]
    public void A_re_offer_with_the_same_key_keeps_both_keys()
    {
        var initial = Negotiate(SavpOffer, SrtpMode.Optional).Srtp!;
        var hold = SavpOffer.Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal);

        var result = SdpNegotiator.Renegotiate(Parse(hold), null, initial);

        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.Same(initial.Local, result.Srtp!.Local);
        Assert.True(result.Srtp.Remote.SameAs(initial.Remote));
        Assert.Equal(SdpDirection.RecvOnly, result.AnswerDirection);
        Assert.Contains($"a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:{initial.Local.ToBase64()}", Answer(hold, result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_re_offer_that_changes_the_key_or_drops_srtp_is_refused()
    {
        var initial = Negotiate(SavpOffer, SrtpMode.Optional).Srtp!;
        var rekeyed = SavpOffer.Replace(Key, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk", StringComparison.Ordinal);

        Assert.Equal("SRTP re-keying is not supported", SdpNegotiator.Renegotiate(Parse(rekeyed), null, initial).FailureReason);
        Assert.Equal("SRTP required", SdpNegotiator.Renegotiate(Parse(PlainOffer), null, initial).FailureReason);
    }

    [Fact]
    public void A_plain_call_stays_plain_when_re_offered()
    {
        var result = SdpNegotiator.Renegotiate(Parse(BestEffortOffer), null, current: null);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Srtp);
        Assert.False(SdpNegotiator.Renegotiate(Parse(SavpOffer), null, current: null).IsSuccess);
    }

    private static SdpSessionDescription Parse(string sdp)
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(sdp), out var offer, out var error), error);
        return offer!;
    }

    private static SdpNegotiationResult Negotiate(string sdp, SrtpMode mode)
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(sdp), out var offer, out var error), error);
        return SdpNegotiator.Negotiate(offer!, null, new SrtpOptions { Mode = mode });
    }

    private static string Answer(string sdp, SdpNegotiationResult result)
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(sdp), out var offer, out _));
        return Encoding.ASCII.GetString(SdpAnswerBuilder.Build(offer!, result, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 4000), 1, 1));
    }

    [Fact]
    public void Our_srtp_offer_is_savp_with_one_crypto_line_and_its_answer_pairs_the_keys()
    {
        var ours = SrtpMasterKey.Generate();
        var sdp = SdpOfferWriter.Write(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 10002), [AudioCodec.Pcmu], 101, 7, ours);

        Assert.True(SdpParser.TryParse(sdp, out var offer, out var error), error);
        var media = Assert.Single(offer.Media);
        Assert.Equal("RTP/SAVP", media.Protocol);
        var crypto = Assert.Single(media.Cryptos);
        Assert.True(crypto.TryGetUsableKey(out var offered));
        Assert.True(offered!.SameAs(ours));

        var answer = Parse(SavpAnswer("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key));
        var result = SdpNegotiator.TakeAnswer(answer, null, ours);
        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.True(result.Srtp!.Local.SameAs(ours));
        Assert.Equal(Key, result.Srtp.Remote.ToBase64());
    }

    [Fact]
    public void Without_an_srtp_offer_of_ours_the_offer_is_plain_and_an_savp_answer_is_refused()
    {
        var sdp = Encoding.ASCII.GetString(SdpOfferWriter.Write(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 10002), [AudioCodec.Pcmu], 101, 7));
        Assert.Contains("m=audio 10002 RTP/AVP 0 101\r\n", sdp, StringComparison.Ordinal);
        Assert.DoesNotContain("a=crypto", sdp, StringComparison.Ordinal);

        Assert.False(SdpNegotiator.TakeAnswer(Parse(SavpAnswer("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key)), null, offered: null).IsSuccess);
    }

    [Theory]
    [InlineData("RTP/AVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + Key)] // best effort is no answer to RTP/SAVP
    [InlineData("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_32 inline:" + Key)]
    [InlineData("RTP/SAVP", "3 AES_CM_128_HMAC_SHA1_80 inline:" + Key)]
    [InlineData("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + " KDR=1")]
    public void An_answer_must_accept_our_crypto_line_in_savp(string profile, string crypto)
    {
        var answer = Parse(SavpAnswer(crypto).Replace("RTP/SAVP", profile, StringComparison.Ordinal));

        var result = SdpNegotiator.TakeAnswer(answer, null, SrtpMasterKey.Generate());

        Assert.False(result.IsSuccess);
        Assert.Null(result.Srtp);
    }

    private static string SavpAnswer(string crypto) =>
        "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10004 RTP/SAVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\na=crypto:" + crypto + "\r\n";
}
