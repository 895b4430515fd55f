using System.Net;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Security;

/// <summary>
/// A raw UDP peer bound to a chosen loopback address (127.0.0.0/8 all reach the host), so tests can play trusted and
/// untrusted sources. Requests are written by hand so that they can be broken on purpose. Every response is kept,
/// so a test can also check what arrived that it did not wait for.
/// </summary>
internal sealed class SipUdpPeer : IDisposable
{
    private readonly UdpClient _udp;
    private readonly IPEndPoint _server;
    private readonly Lock _gate = new();
    private readonly List<SipResponse> _received = [];
    private readonly List<string> _unparsable = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;

    public SipUdpPeer(IPEndPoint server, string bindAddress = "127.0.0.1")
    {
        _server = server;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Parse(bindAddress), 0));
        _udp.Client.ReceiveBufferSize = 4 * 1024 * 1024;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>Every parsable response received and not consumed by a receive call, in arrival order.</summary>
    public IReadOnlyList<SipResponse> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Datagrams from the server that are not parsable responses, as "[parse error] text".</summary>
    public IReadOnlyList<string> Unparsable
    {
        get
        {
            lock (_gate)
            {
                return [.. _unparsable];
            }
        }
    }

    /// <summary>
    /// The Via branch of a request: "z9hG4bK-{callId}-{method}-{cseq}", so a response can be matched to its request
    /// even when the Call-ID is what the test left out.
    /// </summary>
    public static string Branch(string callId, string method, int cseq) => $"z9hG4bK-{callId}-{method}-{cseq}";

    /// <summary>A request with every mandatory header; <paramref name="omit"/> leaves one header line out.</summary>
    public string Request(
        string method, string callId, string extraHeaders = "", string body = "", string requestUri = "sip:gateway@127.0.0.1",
        string? omit = null, int cseq = 1, string? toTag = null)
    {
        var lines = new List<(string Name, string Value)>
        {
            ("Via", $"SIP/2.0/UDP {LocalEndPoint};branch={Branch(callId, method, cseq)};rport"),
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

    /// <summary>
    /// The next not yet consumed response for <paramref name="callId"/> (by Call-ID, or by a Via branch made by
    /// <see cref="Branch"/>); TimeoutException if none arrives in time.
    /// </summary>
    public async Task<SipResponse> ReceiveAsync(string callId, int timeoutMs = 5000)
    {
        var branchPrefix = $"z9hG4bK-{callId}-";
        var deadline = Environment.TickCount64 + timeoutMs;
        var consumed = 0;
        while (true)
        {
            lock (_gate)
            {
                for (var i = consumed; i < _received.Count; i++)
                {
                    var r = _received[i];
                    if (r.CallId == callId || (r.TopVia?.Branch?.StartsWith(branchPrefix, StringComparison.Ordinal) ?? false))
                    {
                        _received.RemoveAt(i);
                        return r;
                    }
                }

                consumed = _received.Count;
            }

            var left = deadline - Environment.TickCount64;
            if (left <= 0 || !await _arrived.WaitAsync(TimeSpan.FromMilliseconds(left)))
            {
                throw new TimeoutException($"No response for {callId} within {timeoutMs} ms");
            }
        }
    }

    /// <summary>The next response for <paramref name="callId"/> within <paramref name="ms"/>, or null.</summary>
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

    /// <summary>
    /// Sends OPTIONS and asserts the server still answers it with 200. Tries up to twenty times: during a flood the
    /// probe itself may be dropped by the server's full socket buffer, which says nothing about the server.
    /// </summary>
    public async Task AssertAliveAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var callId = "alive-" + Guid.NewGuid().ToString("N");
            await SendAsync(Request("OPTIONS", callId));
            if (await TryReceiveAsync(callId, 250) is { } response)
            {
                Assert.Equal(200, response.StatusCode);
                return;
            }
        }

        Assert.Fail("The server no longer answers OPTIONS.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _receiveLoop.Wait(TimeSpan.FromSeconds(1));
        _stop.Dispose();
        _arrived.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var result = SipMessageParser.Parse(received.Buffer);
            lock (_gate)
            {
                if (result.Success && result.Message is SipResponse response)
                {
                    _received.Add(response);
                }
                else
                {
                    _unparsable.Add($"[{result.Error?.Reason ?? "a request"}] {Encoding.UTF8.GetString(received.Buffer)}");
                }
            }

            _arrived.Release();
        }
    }
}
