using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>A raw UDP socket playing the calling UA, writing requests by hand.</summary>
internal sealed class SipTestCaller : IDisposable
{
    public const string Offer =
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 6000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _server;

    public SipTestCaller(IPEndPoint server)
    {
        _server = server;
        CallId = Guid.NewGuid().ToString("N") + "@127.0.0.1";
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public string CallId { get; }

    public string FromTag { get; } = "caller-tag";

    public string InviteBranch { get; } = "z9hG4bK-inv-" + Guid.NewGuid().ToString("N");

    public string Invite(string? sdp = Offer, string extraHeaders = "") =>
        Request("INVITE", InviteBranch, 1, toTag: null, body: sdp ?? string.Empty,
            extraHeaders: $"Contact: <sip:caller@127.0.0.1:{Port}>\r\n" + (sdp is null ? string.Empty : "Content-Type: application/sdp\r\n") + extraHeaders);

    public string Request(string method, string branch, int cseq, string? toTag, string body = "", string extraHeaders = "", string? cseqMethod = null)
    {
        var to = toTag is null ? "<sip:gateway@127.0.0.1>" : $"<sip:gateway@127.0.0.1>;tag={toTag}";
        return
            $"{method} sip:gateway@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{Port};branch={branch};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: \"Caller\" <sip:caller@127.0.0.1>;tag={FromTag}\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {CallId}\r\n" +
            $"CSeq: {cseq} {cseqMethod ?? method}\r\n" +
            extraHeaders +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    public Task SendAsync(string message) => SendAsync(Encoding.UTF8.GetBytes(message));

    public async Task SendAsync(byte[] datagram) => await _udp.SendAsync(datagram, _server);

    /// <summary>Next message from the server, or a TimeoutException.</summary>
    public async Task<SipMessage> ReceiveAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        UdpReceiveResult received;
        try
        {
            received = await _udp.ReceiveAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing received within {timeoutMs} ms");
        }

        var result = SipMessageParser.Parse(received.Buffer);
        Assert.True(result.Success, $"Server sent an unparsable message ({result.Error}): {Encoding.UTF8.GetString(received.Buffer)}");
        return result.Message;
    }

    public async Task<SipResponse> ReceiveResponseAsync(int timeoutMs = 5000) =>
        Assert.IsType<SipResponse>(await ReceiveAsync(timeoutMs));

    /// <summary>The next final (2xx-6xx) response, skipping provisional ones.</summary>
    public async Task<SipResponse> ReceiveFinalResponseAsync()
    {
        while (true)
        {
            var response = await ReceiveResponseAsync();
            if (response.StatusCode >= 200)
            {
                return response;
            }
        }
    }

    /// <summary>Asserts that nothing arrives for <paramref name="ms"/> milliseconds.</summary>
    public async Task ExpectSilenceAsync(int ms)
    {
        try
        {
            var message = await ReceiveAsync(ms);
            Assert.Fail($"Expected no message but got: {message}");
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Next request of <paramref name="method"/>, skipping response retransmissions and other requests.</summary>
    public async Task<SipRequest> ReceiveRequestAsync(string method, int timeoutMs = 5000)
    {
        while (true)
        {
            if (await ReceiveAsync(timeoutMs) is SipRequest r && r.Method == method)
            {
                return r;
            }
        }
    }

    /// <summary>A response to a request from the server, copying the headers RFC 3261 §8.2.6.2 names.</summary>
    public static string ResponseTo(SipRequest request, int status = 200, string reason = "OK")
    {
        var sb = new StringBuilder($"SIP/2.0 {status} {reason}\r\n");
        foreach (var h in request.Headers)
        {
            if (h.Id is SipHeaderId.Via or SipHeaderId.From or SipHeaderId.To or SipHeaderId.CallId or SipHeaderId.CSeq)
            {
                sb.Append(h.Name).Append(": ").Append(h.GetValueString()).Append("\r\n");
            }
        }

        return sb.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    public void Dispose() => _udp.Dispose();
}
