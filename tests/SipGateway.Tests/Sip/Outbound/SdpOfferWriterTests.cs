using System.Net;
using System.Text;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Outbound;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Outbound;

public sealed class SdpOfferWriterTests
{
    private static readonly IPEndPoint LocalRtp = new(IPAddress.Parse("192.0.2.10"), 41_000);

    [Fact]
    public void Offer_lists_codecs_in_preference_order_then_telephone_event()
    {
        var sdp = Encoding.ASCII.GetString(SdpOfferWriter.Write(LocalRtp, [AudioCodec.Pcma, AudioCodec.Pcmu], 101, 42));

        Assert.Contains("m=audio 41000 RTP/AVP 8 0 101\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("c=IN IP4 192.0.2.10\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=sendrecv\r\n", sdp, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_parses_and_a_peer_accepting_it_would_pick_our_first_codec()
    {
        var bytes = SdpOfferWriter.Write(LocalRtp, [AudioCodec.Pcma, AudioCodec.Pcmu], 101, 42);

        Assert.True(SdpParser.TryParse(bytes, out var offer, out var error), error);
        var negotiation = SdpNegotiator.Negotiate(offer);
        Assert.True(negotiation.IsSuccess, negotiation.FailureReason);
        Assert.Equal((AudioCodec.Pcma, 101, LocalRtp), (negotiation.Codec, negotiation.TelephoneEventPayloadType, negotiation.RemoteRtp));
    }

    [Fact]
    public void Without_telephone_event_none_is_offered()
    {
        var sdp = Encoding.ASCII.GetString(SdpOfferWriter.Write(LocalRtp, [AudioCodec.Pcmu], null, 42));

        Assert.Contains("m=audio 41000 RTP/AVP 0\r\n", sdp, StringComparison.Ordinal);
        Assert.DoesNotContain("telephone-event", sdp, StringComparison.Ordinal);
    }
}
