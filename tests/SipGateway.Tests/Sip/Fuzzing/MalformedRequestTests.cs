using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Tests.Sip.Security;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Fuzzing;

/// <summary>Hand-made bad input against a running UAS: each gets the right answer and the server keeps answering.</summary>
public sealed class MalformedRequestTests
{
    [Theory]
    [InlineData("Max-Forwards")]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("Call-ID")]
    public async Task Missing_mandatory_header_gets_400_naming_it(string header)
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var callId = "missing-" + header;

        await fuzz.Peer.SendAsync(fuzz.Peer.Request("INVITE", callId, omit: header, body: SipTestCaller.Offer, extraHeaders: "Content-Type: application/sdp\r\n"));

        var response = await fuzz.Peer.ReceiveAsync(callId);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Missing mandatory header: " + header, response.ReasonPhrase);
        await fuzz.Peer.AssertAliveAsync();
        Assert.False(fuzz.Handler.Incoming.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData("Via")]
    [InlineData("CSeq")]
    public async Task Request_without_via_or_cseq_cannot_be_matched_so_it_is_dropped(string header)
    {
        // RFC 3261 §17.1.3: the client matches responses by the top Via branch and the CSeq method.
        await using var fuzz = await FuzzedServer.StartAsync();
        var callId = "unanswerable-" + header;

        await fuzz.Peer.SendAsync(fuzz.Peer.Request("OPTIONS", callId, omit: header));

        await fuzz.Peer.AssertAliveAsync();
        Assert.Null(await fuzz.Peer.TryReceiveAsync(callId, 200));
    }

    [Theory]
    [InlineData("-1", 400, "Invalid Content-Length")]
    [InlineData("abc", 400, "Invalid Content-Length")]
    [InlineData("99999999999", 400, "Invalid Content-Length")]
    [InlineData("1048576", 413, "Request Entity Too Large: Content-Length exceeds the 65535-octet message limit")]
    [InlineData("500", 400, "Content-Length exceeds body")]
    public async Task Bad_content_length_gets_a_clear_error(string contentLength, int status, string reason)
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var request = fuzz.Peer.Request("OPTIONS", "cl-" + contentLength, body: "hello").Replace("Content-Length: 5", "Content-Length: " + contentLength, StringComparison.Ordinal);

        await fuzz.Peer.SendAsync(request);

        var response = await fuzz.Peer.ReceiveAsync("cl-" + contentLength);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(reason, response.ReasonPhrase);
        await fuzz.Peer.AssertAliveAsync();
    }

    [Theory]
    [InlineData("Subject")]
    [InlineData("X-Padding")]
    public async Task A_64_KB_header_line_is_parsed_and_answered(string header)
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var value = new string('a', 64 * 1024 - 1000);

        await fuzz.Peer.SendAsync(fuzz.Peer.Request("OPTIONS", "huge-" + header, $"{header}: {value}\r\n"));

        Assert.Equal(200, (await fuzz.Peer.ReceiveAsync("huge-" + header)).StatusCode);
    }

    [Fact]
    public async Task A_maximum_size_udp_datagram_with_a_large_body_is_answered()
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var empty = fuzz.Peer.Request("OPTIONS", "max-size", "Content-Type: text/plain\r\n", body: string.Empty);

        // 65,507 is the largest IPv4 UDP payload; "Content-Length: 0" grows by 4 digits once the body is in.
        var body = new string('b', 65_507 - Encoding.UTF8.GetByteCount(empty) - 4);
        var request = fuzz.Peer.Request("OPTIONS", "max-size", "Content-Type: text/plain\r\n", body);
        Assert.Equal(65_507, Encoding.UTF8.GetByteCount(request));
        await fuzz.Peer.SendAsync(request);

        Assert.Equal(200, (await fuzz.Peer.ReceiveAsync("max-size")).StatusCode);
    }

    [Theory]
    [InlineData(1_200, false)]
    [InlineData(1_300, true)]
    public async Task Thousands_of_via_headers_are_all_copied_into_the_response(int count, bool commaSeparated)
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var vias = Enumerable.Range(0, count).Select(i => $"SIP/2.0/UDP 10.0.{i / 250}.{i % 250};branch=z9hG4bK{i:D4}").ToArray();
        var extra = commaSeparated ? "v: " + string.Join(",", vias) + "\r\n" : string.Concat(vias.Select(v => "v: " + v + "\r\n"));
        var request = fuzz.Peer.Request("OPTIONS", "many-vias", extra);
        Assert.True(Encoding.UTF8.GetByteCount(request) < 65_507);

        await fuzz.Peer.SendAsync(request);

        var response = await fuzz.Peer.ReceiveAsync("many-vias");
        Assert.Equal(200, response.StatusCode);
        var echoed = response.Headers.GetAll(SipHeaderId.Via);
        Assert.Equal(count + 1, echoed.Count);
        Assert.EndsWith("branch=z9hG4bK" + (count - 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture), echoed[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPTIONS", "")]
    [InlineData("INVITE", "Content-Type: application/sdp\r\n")]
    public async Task A_request_whose_response_cannot_fit_a_datagram_gets_513_with_only_the_top_via(string method, string extra)
    {
        // Echoing 1,600 Via entries would make the response larger than any UDP datagram (RFC 3261 §18.1.1); it
        // cannot move to TCP, so the request gets 513 Message Too Large (§21.5.4) instead of a send that fails.
        await using var fuzz = await FuzzedServer.StartAsync();
        var vias = Enumerable.Range(0, 1_600).Select(i => $"SIP/2.0/UDP h{i};branch=z9hG4bK{i}");
        var callId = "too-many-vias-" + method;

        await fuzz.Peer.SendAsync(fuzz.Peer.Request(method, callId, "v: " + string.Join(",", vias) + "\r\n" + extra, method == "INVITE" ? SipTestCaller.Offer : ""));

        var response = await fuzz.Peer.ReceiveAsync(callId);
        Assert.Equal((513, "Message Too Large"), (response.StatusCode, response.ReasonPhrase));
        var via = Assert.Single(response.Headers.GetAll(SipHeaderId.Via));
        Assert.Contains("branch=" + SipUdpPeer.Branch(callId, method, 1), via, StringComparison.Ordinal);
        Assert.Equal(callId, response.CallId);
        Assert.Equal(method, response.CSeq!.Value.Method);
        Assert.NotNull(response.To!.Tag);
        Assert.False(fuzz.Handler.Incoming.Reader.TryRead(out _));
        await fuzz.Peer.AssertAliveAsync();
    }

    [Fact]
    public async Task The_same_request_over_tcp_is_answered_in_full()
    {
        // A TCP response has no datagram limit, so the Via entries are all echoed as usual (RFC 3261 §8.2.6.2).
        await using var fuzz = await FuzzedServer.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fuzz.Server.LocalEndPoint);
        var local = (System.Net.IPEndPoint)tcp.Client.LocalEndPoint!;
        var vias = Enumerable.Range(0, 1_600).Select(i => $"SIP/2.0/UDP h{i};branch=z9hG4bK{i}");
        var request =
            "OPTIONS sip:gateway@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP {local};branch=z9hG4bK-tcp-many\r\nv: {string.Join(",", vias)}\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:peer@127.0.0.1>;tag=p\r\nTo: <sip:gateway@127.0.0.1>\r\n" +
            "Call-ID: tcp-many-vias\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        var received = new StringBuilder();
        var buffer = new byte[16_384];
        using var timeout = new CancellationTokenSource(5_000);
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var text = received.ToString();
        Assert.StartsWith("SIP/2.0 200 ", text, StringComparison.Ordinal);
        Assert.Contains("branch=z9hG4bK1599\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_refuses_a_datagram_beyond_the_maximum_message_size()
    {
        var result = SipMessageParser.Parse(new byte[SipMessageParser.MaxMessageSize + 1]);

        Assert.False(result.Success);
        Assert.Equal(413, result.Error.StatusCode);
    }
}
