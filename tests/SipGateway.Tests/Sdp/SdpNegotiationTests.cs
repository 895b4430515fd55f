using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Tests.Sdp;

public sealed class SdpNegotiationTests
{
    // Offer of sipp 3.6's built-in "uac" scenario.
    private const string SippOffer =
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    // baresip-style: wideband codecs first, G.711 later, telephone-event, rtcp-mux and ssrc lines.
    private const string BaresipOffer =
        "v=0\r\no=- 1856 2961 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 192.168.1.10\r\nt=0 0\r\n" +
        "m=audio 10000 RTP/AVP 96 9 0 8 101\r\nb=AS:512\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 stereo=1;sprop-stereo=1\r\n" +
        "a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-15\r\na=rtcp-mux\r\na=ssrc:1285737113 cname:3f0c5d8e\r\na=sendrecv\r\na=label:1\r\n";

    // Twilio-style: PCMA preferred, telephone-event 0-16, ptime/maxptime.
    private const string TwilioOffer =
        "v=0\r\no=root 1411590718 1411590718 IN IP4 54.172.60.1\r\ns=Twilio Media Gateway\r\nc=IN IP4 54.172.60.1\r\nt=0 0\r\n" +
        "m=audio 13042 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\na=ptime:20\r\na=maxptime:150\r\na=sendrecv\r\n";

    [Fact]
    public void Sipp_offer_negotiates_pcmu_without_telephone_event()
    {
        var result = Negotiate(SippOffer);
        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.Equal(AudioCodec.Pcmu, result.Codec);
        Assert.Null(result.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6000), result.RemoteRtp);
        Assert.Equal(SdpDirection.SendRecv, result.AnswerDirection);
    }

    [Fact]
    public void Baresip_offer_skips_wideband_codecs_and_keeps_telephone_event()
    {
        var result = Negotiate(BaresipOffer);
        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.Equal(new AudioCodec("PCMU", 0, 8000), result.Codec);
        Assert.Equal(101, result.TelephoneEventPayloadType);
        Assert.Equal(IPEndPoint.Parse("192.168.1.10:10000"), result.RemoteRtp);
    }

    [Fact]
    public void Twilio_offer_keeps_offer_order_and_answer_is_well_formed()
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(TwilioOffer), out var offer, out var error), error);
        var result = SdpNegotiator.Negotiate(offer);
        Assert.Equal(AudioCodec.Pcma, result.Codec);
        Assert.Equal(101, result.TelephoneEventPayloadType);

        var answerBytes = SdpAnswerBuilder.Build(offer, result, IPEndPoint.Parse("10.0.0.5:40000"), 42, 1);
        var answerText = Encoding.ASCII.GetString(answerBytes);
        Assert.Contains("o=- 42 1 IN IP4 10.0.0.5\r\n", answerText, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:101 0-16\r\n", answerText, StringComparison.Ordinal);

        Assert.True(SdpParser.TryParse(answerBytes, out var answer, out error), error);
        Assert.Equal("10.0.0.5", answer.ConnectionAddress);
        var audio = Assert.Single(answer.Media);
        Assert.Equal(40000, audio.Port);
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal(new SdpRtpMap(8, "PCMA", 8000, 1), audio.FindRtpMap(8));
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000, 1), audio.FindRtpMap(101));
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void Dynamic_payload_type_for_pcma_is_accepted()
    {
        var result = Negotiate(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
            "m=audio 5004 RTP/AVP 111 110\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:110 pcma/8000\r\n");
        Assert.Equal(new AudioCodec("PCMA", 110, 8000), result.Codec);
    }

    [Fact]
    public void No_g711_is_a_negotiation_failure()
    {
        var result = Negotiate(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
            "m=audio 5004 RTP/AVP 9 18\r\na=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\n");
        Assert.False(result.IsSuccess);
        Assert.Equal("No supported audio codec offered", result.FailureReason);
    }

    [Theory]
    [InlineData("sendonly", SdpDirection.RecvOnly)]
    [InlineData("recvonly", SdpDirection.SendOnly)]
    [InlineData("inactive", SdpDirection.Inactive)]
    [InlineData("sendrecv", SdpDirection.SendRecv)]
    public void Direction_is_mirrored(string offered, SdpDirection expected)
    {
        var result = Negotiate(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
            $"m=audio 5004 RTP/AVP 0\r\na={offered}\r\n");
        Assert.Equal(expected, result.AnswerDirection);
    }

    [Fact]
    public void Media_level_connection_overrides_session_level_and_video_is_declined()
    {
        const string offer =
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
            "m=video 5006 RTP/AVP 31\r\nm=audio 5004 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\na=sendonly\r\n";
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(offer), out var parsed, out var error), error);
        var result = SdpNegotiator.Negotiate(parsed);
        Assert.Equal(IPEndPoint.Parse("198.51.100.7:5004"), result.RemoteRtp);
        Assert.Equal(1, result.MediaIndex);

        var answer = Encoding.ASCII.GetString(SdpAnswerBuilder.Build(parsed, result, IPEndPoint.Parse("10.0.0.5:40000"), 1, 1));
        var video = answer.IndexOf("m=video 0 RTP/AVP 31\r\n", StringComparison.Ordinal);
        var audio = answer.IndexOf("m=audio 40000 RTP/AVP 0\r\n", StringComparison.Ordinal);
        Assert.True(video >= 0 && audio > video, answer);
        Assert.Contains("a=recvonly\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Empty SDP")]
    [InlineData("v=1\r\n", "SDP does not start with v=0")]
    [InlineData("v=0\r\nm=audio x RTP/AVP 0\r\n", "Malformed SDP m= line")]
    [InlineData("v=0\r\nc=IN IP4\r\n", "Malformed SDP c= line")]
    public void Malformed_sdp_is_rejected_with_reason(string sdp, string reason)
    {
        Assert.False(SdpParser.TryParse(Encoding.ASCII.GetBytes(sdp), out _, out var error));
        Assert.Equal(reason, error);
    }

    private static SdpNegotiationResult Negotiate(string offer)
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(offer), out var parsed, out var error), error);
        return SdpNegotiator.Negotiate(parsed);
    }
}
