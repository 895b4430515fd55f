using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>
/// A raw UDP peer bound to a chosen loopback address (127.0.0.0/8 all reach the host), so tests can play trusted and
/// untrusted sources. Requests are written by hand so that they can be broken on purpose.
/// </summary>
internal sealed class SipUdpPeer : IDisposable
{
    private readonly UdpClient _udp;
    private readonly IPEndPoint _server;

    public SipUdpPeer(IPEndPoint server, string bindAddress = "127.0.0.1")
    {
        _server = server;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Parse(bindAddress), 0));
        _udp.Client.ReceiveBufferSize = 4 * 1024 * 1024;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>A request with every mandatory header; <paramref name="omit"/> leaves one header line out.</summary>
    public string Request(
        string method, string callId, string extraHeaders = "", string body = "", string requestUri = "sip:gateway@127.0.0.1",
        string? omit = null, int cseq = 1, string? toTag = null)
    {
        var lines = new List<(string Name, string Value)>
        {
            ("Via", $"SIP/2.0/UDP {LocalEndPoint};branch=z9hG4bK-{Guid.NewGuid():N};rport"),
            ("Max-Forwards", "70"),
            ("From", "\"Peer\" <sip:peer@127.0.0.1>;tag=peer-tag"),
            ("To", toTag is null ? "<sip:gateway@127.0.0.1>" : $"<sip:gateway@127.0.0.1>;tag={toTag}"),
            ("Call-ID", callId),
            ("CSeq", $"{cseq} {method}"),
        };
        var builder = new StringBuilder().Append(method).Append(' ').Append(requestUri).Append(" SIP/2.0\r\n");
        foreach (var (name, value) in lines.Where(l => l.Name != omit))
        {
            builder.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return builder.Append(extraHeaders).Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n\r\n").Append(body).ToString();
    }

    public Task SendAsync(string message) => SendAsync(Encoding.UTF8.GetBytes(message));

    public async Task SendAsync(byte[] datagram) => await _udp.SendAsync(datagram, _server);

    /// <summary>The next response whose Call-ID is <paramref name="callId"/>, skipping others; TimeoutException if none.</summary>
    public async Task<SipResponse> ReceiveAsync(string callId, int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No response for Call-ID {callId} within {timeoutMs} ms");
            }

            var result = SipMessageParser.Parse(received.Buffer);
            Assert.True(result.Success, $"Server sent an unparsable message ({result.Error}): {Encoding.UTF8.GetString(received.Buffer)}");
            if (result.Message is SipResponse response && response.CallId == callId)
            {
                return response;
            }
        }
    }

    /// <summary>True when a response for <paramref name="callId"/> arrives within <paramref name="ms"/>.</summary>
    public async Task<SipResponse?> TryReceiveAsync(string callId, int ms)
    {
        try
        {
            return await ReceiveAsync(callId, ms);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Sends OPTIONS and asserts the server still answers it with 200.</summary>
    public async Task AssertAliveAsync()
    {
        var callId = "alive-" + Guid.NewGuid().ToString("N");
        await SendAsync(Request("OPTIONS", callId));
        var response = await ReceiveAsync(callId);
        Assert.Equal(200, response.StatusCode);
    }

    public void Dispose() => _udp.Dispose();
}
