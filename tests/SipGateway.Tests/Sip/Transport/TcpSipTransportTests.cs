using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

public sealed class TcpSipTransportTests : IAsyncLifetime
{
    private readonly Channel<(string Text, SipEndPoint From)> _received = Channel.CreateUnbounded<(string, SipEndPoint)>();
    private TcpSipTransport _transport = null!;

    public Task InitializeAsync()
    {
        Start(new TcpTransportOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _transport.DisposeAsync();

    [Fact]
    public async Task Frames_a_request_written_one_byte_at_a_time()
    {
        using var client = await ConnectAsync();
        var invite = Request("INVITE", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n");
        foreach (var b in Encoding.ASCII.GetBytes(invite))
        {
            await client.GetStream().WriteAsync(new[] { b });
        }

        var (text, from) = await NextAsync();
        Assert.Equal(invite, text);
        Assert.Equal(SipTransportProtocol.Tcp, from.Protocol);
        Assert.Equal(client.Client.LocalEndPoint, from.Address);
    }

    [Fact]
    public async Task Splits_two_requests_sent_in_one_write_and_skips_keepalives_between()
    {
        using var client = await ConnectAsync();
        var first = Request("OPTIONS", "first");
        var second = Request("OPTIONS", string.Empty);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(first + "\r\n\r\n" + second));

        Assert.Equal(first, (await NextAsync()).Text);
        Assert.Equal(second, (await NextAsync()).Text);

        // RFC 5626 §3.5.1: the double-CRLF ping is answered with exactly one CRLF.
        var pong = new byte[8];
        var read = await client.GetStream().ReadAsync(pong).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("\r\n", Encoding.ASCII.GetString(pong, 0, read));
    }

    [Fact]
    public async Task Sends_a_response_back_on_the_connection_the_request_came_on()
    {
        using var other = await ConnectAsync();
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request("OPTIONS", string.Empty)));
        var (_, from) = await NextAsync();

        const string response = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
        Assert.True(await _transport.SendAsync(Encoding.ASCII.GetBytes(response), from));
        Assert.Equal(response, await ReadSomeAsync(client, response.Length));
        Assert.Equal(2, _transport.ConnectionCount);
    }

    [Fact]
    public async Task Opens_a_new_connection_to_the_fallback_address_when_the_original_is_gone()
    {
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();
        var gone = new SipEndPoint(SipTransportProtocol.Tcp, (IPEndPoint)peer.LocalEndpoint, ConnectionId: 987_654);

        var bytes = Encoding.ASCII.GetBytes("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.True(await _transport.SendAsync(bytes, gone));
        using var accepted = await peer.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Encoding.ASCII.GetString(bytes), await ReadSomeAsync(accepted, bytes.Length));
    }

    [Fact]
    public async Task Answers_a_request_without_content_length_with_400_and_closes()
    {
        using var client = await ConnectAsync();
        var request = Request("OPTIONS", string.Empty).Replace("Content-Length: 0\r\n", string.Empty, StringComparison.Ordinal);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));

        var reply = await ReadToEndAsync(client);
        Assert.StartsWith("SIP/2.0 400 Missing Content-Length\r\n", reply, StringComparison.Ordinal);
        Assert.Contains("CSeq: 1 OPTIONS\r\n", reply, StringComparison.Ordinal);
        Assert.False(_received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Answers_a_declared_oversized_body_with_413_and_closes_without_reading_it()
    {
        using var client = await ConnectAsync();
        var head = Request("INVITE", string.Empty).Replace("Content-Length: 0", "Content-Length: 1048576", StringComparison.Ordinal);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));

        var reply = await ReadToEndAsync(client);
        Assert.StartsWith("SIP/2.0 413 ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closes_a_connection_whose_header_never_ends_after_at_most_the_header_limit()
    {
        await _transport.DisposeAsync();
        Start(new TcpTransportOptions { MaxHeaderBytes = 4096, MaxMessageBytes = 8192 });
        using var client = await ConnectAsync();
        var chunk = Encoding.ASCII.GetBytes("X-Flood: " + new string('a', 1000) + "\r\n");
        var sent = 0;
        var closed = false;
        try
        {
            // Without the limit this would buffer the whole 4 MB.
            while (sent < 4 * 1024 * 1024)
            {
                await client.GetStream().WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            closed = true;
        }

        if (!closed)
        {
            closed = await ReadToEndAsync(client) == string.Empty;
        }

        Assert.True(closed);
        Assert.True(sent < 4 * 1024 * 1024, $"the server read {sent} bytes of an endless header");
        Assert.False(_received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Garbage_on_one_connection_does_not_affect_the_next()
    {
        using (var bad = await ConnectAsync())
        {
            await bad.GetStream().WriteAsync(Encoding.ASCII.GetBytes("\x01\x02garbage\r\n\r\n"));
            Assert.Equal(string.Empty, await ReadToEndAsync(bad));
        }

        using var good = await ConnectAsync();
        var request = Request("OPTIONS", string.Empty);
        await good.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        Assert.Equal(request, (await NextAsync()).Text);
    }

    [Fact]
    public async Task Refuses_connections_beyond_the_limit()
    {
        await _transport.DisposeAsync();
        Start(new TcpTransportOptions { MaxConnections = 1 });
        using var first = await ConnectAsync();
        await first.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request("OPTIONS", string.Empty)));
        await NextAsync();

        using var second = await ConnectAsync();
        Assert.Equal(string.Empty, await ReadToEndAsync(second));
        Assert.Equal(1, _transport.ConnectionCount);
    }

    [Fact]
    public async Task Closes_an_idle_connection()
    {
        await _transport.DisposeAsync();
        Start(new TcpTransportOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = await ConnectAsync();
        Assert.Equal(string.Empty, await ReadToEndAsync(client));
    }

    private void Start(TcpTransportOptions options)
    {
        _transport = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), options, "test", NullLogger<TcpSipTransport>.Instance);
        _transport.Start((message, from) => _received.Writer.TryWrite((Encoding.ASCII.GetString(message.Span), from)));
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(_transport.LocalEndPoint);
        return client;
    }

    private async Task<(string Text, SipEndPoint From)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    private static string Request(string method, string body) =>
        $"{method} sip:gw@127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK" + Guid.NewGuid().ToString("N") + "\r\n" +
        "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:gw@127.0.0.1>\r\nCall-ID: " + Guid.NewGuid().ToString("N") + "\r\n" +
        $"CSeq: 1 {method}\r\nMax-Forwards: 70\r\nContent-Length: {body.Length}\r\n\r\n{body}";

    private static async Task<string> ReadSomeAsync(TcpClient client, int length)
    {
        var buffer = new byte[length];
        await client.GetStream().ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Everything the server sends until it closes; fails the test if it does not close within 5 s.</summary>
    private static async Task<string> ReadToEndAsync(TcpClient client)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int read;
            while ((read = await client.GetStream().ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the server did not close the connection within 5 s; received: " + text);
        }

        return text.ToString();
    }
}
