using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sdp;

namespace StepAudio.Telephony.SipGateway.Tests.Sdp;

/// <summary>RFC 3389 comfort noise in offer/answer: kept when offered on its static payload type 13.</summary>
public sealed class SdpComfortNoiseTests
{
    private const string Header = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";

    [Fact]
    public void Offered_cn_is_answered_next_to_the_codec_and_telephone_event()
    {
        var (result, answer) = Answer(
            "m=audio 6000 RTP/AVP 8 13 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:13 CN/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

        Assert.Equal(13, result.ComfortNoisePayloadType);
        Assert.Contains("m=audio 40000 RTP/AVP 8 101 13\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:13 CN/8000\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_cn_without_rtpmap_is_accepted()
    {
        var (result, answer) = Answer("m=audio 6000 RTP/AVP 0 13\r\n");
        Assert.Equal(13, result.ComfortNoisePayloadType);
        Assert.Contains("m=audio 40000 RTP/AVP 0 13\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")] // not offered
    [InlineData("m=audio 6000 RTP/AVP 0 13\r\na=rtpmap:13 CN/16000\r\n")] // another clock rate
    [InlineData("m=audio 6000 RTP/AVP 0\r\na=rtpmap:13 CN/8000\r\n")] // mapped but not listed in m=
    public void Cn_is_left_out_unless_offered_at_8_khz(string media)
    {
        var (result, answer) = Answer(media);
        Assert.Null(result.ComfortNoisePayloadType);
        Assert.DoesNotContain("CN/", answer, StringComparison.Ordinal);
        Assert.Contains("m=audio 40000 RTP/AVP 0\r\n", answer, StringComparison.Ordinal);
    }

    private static (SdpNegotiationResult Result, string Answer) Answer(string media)
    {
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(Header + media), out var offer, out var error), error);
        var result = SdpNegotiator.Negotiate(offer);
        Assert.True(result.IsSuccess, result.FailureReason);
        var answer = Encoding.ASCII.GetString(SdpAnswerBuilder.Build(offer, result, IPEndPoint.Parse("10.0.0.5:40000"), 1, 1));
        return (result, answer);
    }
}
