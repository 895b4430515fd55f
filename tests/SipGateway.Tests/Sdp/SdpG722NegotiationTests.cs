using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Tests.Sdp;

/// <summary>G.722 in offer/answer: payload type 9, <c>G722/8000</c> (RFC 3551 §4.5.2), enabled by <c>Sip:Codecs</c>.</summary>
public sealed class SdpG722NegotiationTests
{
    private static readonly IReadOnlyList<AudioCodec> WithG722 = AudioCodecPreferences.Parse("PCMU,PCMA,G722");

    [Fact]
    public void Offered_first_and_enabled_G722_is_chosen_and_answered_as_G722_8000()
    {
        var offer = Parse("m=audio 10000 RTP/AVP 96 9 0 8\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n");

        var result = SdpNegotiator.Negotiate(offer, WithG722);

        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.Equal(AudioCodec.G722, result.Codec);
        var answer = Encoding.ASCII.GetString(SdpAnswerBuilder.Build(offer, result, IPEndPoint.Parse("10.0.0.5:40000"), 1, 1));
        Assert.Contains("m=audio 40000 RTP/AVP 9\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:9 G722/8000\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_payload_type_9_needs_no_rtpmap()
    {
        var result = SdpNegotiator.Negotiate(Parse("m=audio 10000 RTP/AVP 9 0\r\n"), WithG722);
        Assert.Equal(AudioCodec.G722, result.Codec);
    }

    [Fact]
    public void G722_is_not_accepted_unless_enabled()
    {
        var offer = Parse("m=audio 10000 RTP/AVP 9 8\r\na=rtpmap:9 G722/8000\r\n");

        Assert.Equal(AudioCodec.Pcma, SdpNegotiator.Negotiate(offer).Codec);
        Assert.Equal(AudioCodec.Pcma, SdpNegotiator.Negotiate(offer, AudioCodecPreferences.Parse("PCMA")).Codec);
        Assert.False(SdpNegotiator.Negotiate(Parse("m=audio 10000 RTP/AVP 9\r\n")).IsSuccess);
    }

    [Fact]
    public void G722_at_a_16000_clock_is_someone_else_s_mistake_and_is_skipped()
    {
        // RFC 3551 §4.5.2 fixes the clock at 8000; a 16000 rtpmap describes a different format.
        var result = SdpNegotiator.Negotiate(Parse("m=audio 10000 RTP/AVP 9 0\r\na=rtpmap:9 G722/16000\r\n"), WithG722);
        Assert.Equal(AudioCodec.Pcmu, result.Codec);
    }

    [Fact]
    public void Dynamic_payload_type_for_G722_is_kept()
    {
        var result = SdpNegotiator.Negotiate(Parse("m=audio 10000 RTP/AVP 112\r\na=rtpmap:112 g722/8000\r\n"), WithG722);
        Assert.Equal(new AudioCodec("G722", 112, 8000), result.Codec);
    }

    [Fact]
    public void Outbound_offer_lists_G722_and_round_trips_through_negotiation()
    {
        var localRtp = IPEndPoint.Parse("127.0.0.1:20000");
        var bytes = SdpOfferWriter.Write(localRtp, [AudioCodec.G722, AudioCodec.Pcmu], null, 7);
        var text = Encoding.ASCII.GetString(bytes);
        Assert.Contains("m=audio 20000 RTP/AVP 9 0\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:9 G722/8000\r\n", text, StringComparison.Ordinal);

        Assert.True(SdpParser.TryParse(bytes, out var offer, out var error), error);
        Assert.Equal(AudioCodec.G722, SdpNegotiator.Negotiate(offer, AudioCodecPreferences.Supported).Codec);
    }

    [Theory]
    [InlineData("PCMU,PCMA", new[] { "PCMU", "PCMA" })]
    [InlineData(" g722 , pcma ", new[] { "G722", "PCMA" })]
    public void Preferences_parse_in_order(string names, string[] expected)
    {
        Assert.Equal(expected, AudioCodecPreferences.Parse(names).Select(c => c.EncodingName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PCMU,OPUS")]
    [InlineData("PCMU,pcmu")]
    public void Preferences_reject_empty_unknown_and_repeated_codecs(string names)
    {
        Assert.Throws<ArgumentException>(() => AudioCodecPreferences.Parse(names));
    }

    private static SdpSessionDescription Parse(string media)
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + media;
        Assert.True(SdpParser.TryParse(Encoding.ASCII.GetBytes(sdp), out var offer, out var error), error);
        return offer;
    }
}
