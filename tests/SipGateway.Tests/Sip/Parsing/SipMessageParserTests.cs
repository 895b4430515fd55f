using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Parsing;

public sealed class SipMessageParserTests
{
    private const string Invite =
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
        "X-Custom: one\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n\r\n" +
        "v=0\n";

    [Fact]
    public void Parses_a_plain_invite_into_typed_headers()
    {
        var request = ParseRequest(Invite);
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("sip:bob@biloxi.example.com", request.RequestUri);
        Assert.Equal("z9hG4bK776asdhds", request.TopVia!.Branch);
        Assert.True(request.TopVia.HasRport);
        Assert.Null(request.TopVia.RportValue);
        Assert.Equal("1928301774", request.From!.Tag);
        Assert.Equal("Alice", request.From.DisplayName);
        Assert.Null(request.To!.Tag);
        Assert.Equal(new CSeqHeader(314159, "INVITE"), request.CSeq);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal("v=0\n", Encoding.ASCII.GetString(request.Body.Span));
        Assert.Equal("one", request.Headers.GetFirst("x-custom"));
        Assert.Null(SipRequestValidator.Validate(request));
    }

    [Fact]
    public void Compact_forms_map_to_canonical_headers()
    {
        var request = ParseRequest(
            "OPTIONS sip:x@example.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@example.com>;tag=1\r\n" +
            "t: <sip:x@example.com>\r\ni: cid-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nk: timer\r\nm: <sip:a@h>\r\n" +
            "s: hi\r\ne: gzip\r\nc: text/plain\r\nl: 2\r\n\r\nhi");
        Assert.Equal("cid-1", request.CallId);
        Assert.Equal("timer", request.Headers.GetFirst(SipHeaderId.Supported));
        Assert.Equal("<sip:a@h>", request.Headers.GetFirst("Contact"));
        Assert.Equal("hi", request.Headers.GetFirst(SipHeaderId.Subject));
        Assert.Equal("gzip", request.Headers.GetFirst(SipHeaderId.ContentEncoding));
        Assert.Equal("text/plain", request.ContentType);
        Assert.Equal(2, request.Body.Length);
    }

    [Fact]
    public void Folded_values_and_comma_separated_vias_are_split_in_order()
    {
        var request = ParseRequest(
            "BYE sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP first.example.com;branch=z9hG4bK1,\r\n" +
            "  SIP/2.0/TCP second.example.com:5070;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP third.example.com;branch=z9hG4bK3\r\n" +
            "To: <sip:x@example.com>;tag=a\r\nFrom: <sip:y@example.com>;tag=b\r\nCall-ID: c\r\nCSeq: 2\r\n\tBYE\r\n" +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        var vias = request.Headers.GetAll(SipHeaderId.Via);
        Assert.Equal(3, vias.Count);
        Assert.StartsWith("SIP/2.0/UDP first", vias[0], StringComparison.Ordinal);
        Assert.Equal("SIP/2.0/TCP second.example.com:5070;branch=z9hG4bK2", vias[1]);
        Assert.StartsWith("SIP/2.0/UDP third", vias[2], StringComparison.Ordinal);
        Assert.Equal(new CSeqHeader(2, "BYE"), request.CSeq);
    }

    [Fact]
    public void Serializer_round_trips_and_rewrites_content_length()
    {
        var request = ParseRequest(Invite);
        var bytes = request.ToBytes();
        var again = ParseRequest(Encoding.UTF8.GetString(bytes));
        Assert.Equal(request.Headers.Count, again.Headers.Count);
        for (var i = 0; i < request.Headers.Count; i++)
        {
            Assert.Equal(request.Headers[i].ToString(), again.Headers[i].ToString());
        }

        Assert.Equal(request.Body.ToArray(), again.Body.ToArray());
        Assert.Contains("\r\nContent-Length: 4\r\n\r\nv=0\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_a_response()
    {
        var result = SipMessageParser.Parse(Encoding.ASCII.GetBytes(
            "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1;received=192.0.2.1;rport=5062\r\n" +
            "To: <sip:x@example.com>;tag=9\r\nFrom: <sip:y@example.com>;tag=1\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n"));
        var response = Assert.IsType<SipResponse>(result.Message);
        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing", response.ReasonPhrase);
        Assert.Equal("192.0.2.1", response.TopVia!.Received);
        Assert.Equal(5062, response.TopVia.RportValue);
    }

    [Theory]
    [InlineData("", "Empty message")]
    [InlineData("garbage", "Incomplete start line")]
    [InlineData("\u0001\u0002\u0003\r\n\r\n", "Malformed Request-Line")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n", "Malformed header line")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\n folded-first: x\r\n\r\n", "Malformed header: continuation line without a header")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n", "Missing empty line after headers")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nshort", "Content-Length exceeds body")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: abc\r\n\r\n", "Invalid Content-Length")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCall-ID: a\r\ni: b\r\n\r\n", "Duplicate header: Call-ID")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 BYE\r\n\r\n", "CSeq method does not match request method")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCSeq: 2147483648 INVITE\r\n\r\n", "Malformed CSeq header")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nMax-Forwards: 256\r\n\r\n", "Malformed Max-Forwards header")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP\r\n\r\n", "Malformed Via header")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nFrom: \"unterminated <sip:a@b>\r\n\r\n", "Malformed From header")]
    [InlineData("SIP/2.0 1000 Big\r\n\r\n", "Malformed Status-Code")]
    public void Malformed_messages_report_a_reason(string text, string reason)
    {
        var result = SipMessageParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.False(result.Success);
        Assert.Equal(reason, result.Error.Reason);
    }

    [Fact]
    public void Unsupported_version_is_a_505_with_headers_kept()
    {
        var result = SipMessageParser.Parse(Encoding.ASCII.GetBytes(
            "OPTIONS sip:a@b SIP/3.0\r\nCall-ID: v3\r\nContent-Length: 0\r\n\r\n"));
        Assert.False(result.Success);
        Assert.Equal(505, result.Error.StatusCode);
        Assert.Equal("v3", result.Error.Headers!.GetFirst(SipHeaderId.CallId));
    }

    [Fact]
    public void Missing_mandatory_header_is_named()
    {
        var request = ParseRequest(Invite.Replace("Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n", "", StringComparison.Ordinal));
        Assert.Equal("Missing mandatory header: Call-ID", SipRequestValidator.Validate(request));
    }

    [Fact]
    public void Sip_uri_components_are_unescaped()
    {
        Assert.True(SipUri.TryParse("sips:sips%3Auser%40example.com:pw@[2001:db8::1]:5061;transport=tcp;n%61me=v%61lue?subject=x", out var uri));
        Assert.True(uri.IsSecure);
        Assert.Equal("sips:user@example.com", uri.User);
        Assert.Equal("pw", uri.Password);
        Assert.Equal("[2001:db8::1]", uri.Host);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("tcp", uri.Parameters.Get("transport"));
        Assert.Equal("value", uri.Parameters.Get("name"));
        Assert.Equal("subject=x", uri.Headers);
        Assert.False(SipUri.TryParse("tel:+15551234", out _));
        Assert.False(SipUri.TryParse("sip:user@", out _));
        Assert.False(SipUri.TryParse("sip:host:99999", out _));
    }

    private static SipRequest ParseRequest(string text)
    {
        var result = SipMessageParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(result.Success, result.Error?.ToString());
        return Assert.IsType<SipRequest>(result.Message);
    }
}
