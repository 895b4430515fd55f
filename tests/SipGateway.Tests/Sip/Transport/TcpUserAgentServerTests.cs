using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

/// <summary>The UAS over TCP: responses on the request's connection, and real sipp calls with -t t1.</summary>
public sealed class TcpUserAgentServerTests
{
    private static readonly string ScenarioFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../deploy/sipp"));

    [Fact]
    public async Task A_configured_port_already_taken_on_tcp_is_an_error_not_a_silent_udp_only_start()
    {
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = port }, new TestCallHandler(), NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<SocketException>(() => server.StartAsync());

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public async Task Port_zero_always_ends_with_udp_and_tcp_on_one_port_number()
    {
        // Each start asks the OS for a UDP port and must find the same number free on TCP (retrying if not).
        for (var i = 0; i < 20; i++)
        {
            await using var server = new SipUserAgentServer(
                new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, new TestCallHandler(), NullLoggerFactory.Instance);
            await server.StartAsync();
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, server.LocalEndPoint.Port);
            Assert.True(client.Connected);
        }
    }

    [Fact]
    public async Task Answers_options_on_the_same_tcp_connection()
    {
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();

        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(server.LocalEndPoint);
        const string options = "OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp1\r\n" +
            "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:gw@127.0.0.1>\r\nCall-ID: tcp-options-1\r\nCSeq: 7 OPTIONS\r\n" +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(options));

        var response = await ReadHeaderAsync(client.GetStream());
        Assert.StartsWith("SIP/2.0 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp1", response, StringComparison.Ordinal);
        Assert.Contains("CSeq: 7 OPTIONS\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sipp_uac_over_tcp_completes_a_call()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        await RunSippAsync(["-t", "t1", "-sn", "uac", $"127.0.0.1:{server.LocalEndPoint.Port}"], sippRunning: null);

        var call = await TestCallHandler.NextAsync(handler.Incoming);
        Assert.Equal(call.DialogId, await TestCallHandler.NextAsync(handler.Confirmed));
        Assert.Equal((call.DialogId, "caller", "bye"), await TestCallHandler.NextAsync(handler.Terminated));
    }

    [Fact]
    public async Task Gateway_bye_reaches_a_tcp_caller_over_the_dialog_connection()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();

        var scenario = Path.Combine(ScenarioFolder, "uac_gateway_hangup.xml");
        await RunSippAsync(["-t", "t1", "-sf", scenario, $"127.0.0.1:{server.LocalEndPoint.Port}"], async () =>
        {
            var dialogId = await TestCallHandler.NextAsync(handler.Confirmed, 20_000);
            await server.HangUpAsync(dialogId, CancellationToken.None);
        });

        var (_, endedBy, reason) = await TestCallHandler.NextAsync(handler.Terminated);
        Assert.Equal(("gateway", "hangup"), (endedBy, reason));
    }

    [Fact]
    public async Task Invite_over_tcp_gets_a_tcp_contact_and_the_gateway_bye_returns_on_the_same_connection()
    {
        var handler = new TestCallHandler();
        await using var server = new SipUserAgentServer(
            new SipOptions { ListenAddress = "127.0.0.1", Port = 0 }, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(server.LocalEndPoint);
        var reader = new StreamMessageReader(client.GetStream());
        var port = ((System.Net.IPEndPoint)client.Client.LocalEndPoint!).Port;
        string Request(string method, int cseq, string toTag, string body) =>
            $"{method} sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:{port};branch=z9hG4bKtcp{method}\r\n" +
            $"From: <sip:a@127.0.0.1>;tag=caller\r\nTo: <sip:gw@127.0.0.1>{toTag}\r\nCall-ID: tcp-invite-1\r\n" +
            $"CSeq: {cseq} {method}\r\nContact: <sip:a@127.0.0.1:{port};transport=tcp>\r\nMax-Forwards: 70\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : string.Empty) + $"Content-Length: {body.Length}\r\n\r\n{body}";

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request("INVITE", 1, string.Empty, SipTestCaller.Offer)));
        var ok = await reader.NextAsync(m => m.StartsWith("SIP/2.0 200 ", StringComparison.Ordinal));
        Assert.Contains($";transport=tcp>", HeaderLine(ok, "Contact"), StringComparison.Ordinal);
        var toTag = HeaderLine(ok, "To")[HeaderLine(ok, "To").IndexOf(";tag=", StringComparison.Ordinal)..];
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request("ACK", 1, toTag, string.Empty)));

        var dialogId = await TestCallHandler.NextAsync(handler.Confirmed);
        var hangUp = server.HangUpAsync(dialogId, CancellationToken.None);
        var bye = await reader.NextAsync(m => m.StartsWith("BYE ", StringComparison.Ordinal));
        Assert.StartsWith("Via: SIP/2.0/TCP ", HeaderLine(bye, "Via"), StringComparison.Ordinal);
        var byeOk = "SIP/2.0 200 OK\r\n" + string.Concat(new[] { "Via", "From", "To", "Call-ID", "CSeq" }.Select(h => HeaderLine(bye, h) + "\r\n")) +
            "Content-Length: 0\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(byeOk));
        await hangUp.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Does_not_listen_on_tcp_when_disabled()
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 };
        options.Tcp.Enabled = false;
        await using var server = new SipUserAgentServer(options, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(server.LocalEndPoint));
    }

    private static string HeaderLine(string message, string name) =>
        message.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads whole SIP messages from a stream, framed by Content-Length like the gateway does.</summary>
    private sealed class StreamMessageReader(NetworkStream stream)
    {
        private string _pending = string.Empty;

        /// <summary>The next message that matches, skipping others (100 Trying, retransmissions).</summary>
        public async Task<string> NextAsync(Func<string, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new byte[4096];
            while (true)
            {
                var end = _pending.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var length = int.Parse(HeaderLine(_pending[..end], "Content-Length")["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (_pending.Length >= end + 4 + length)
                    {
                        var message = _pending[..(end + 4 + length)];
                        _pending = _pending[message.Length..];
                        if (match(message))
                        {
                            return message;
                        }

                        continue;
                    }
                }

                var read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, "the gateway closed the connection");
                _pending += Encoding.ASCII.GetString(buffer, 0, read);
            }
        }
    }

    /// <summary>Runs sipp for one call; it exits 0 only if every step of the scenario happened.</summary>
    private static async Task RunSippAsync(string[] arguments, Func<Task>? sippRunning)
    {
        var run = SippRunner.RunAsync(
            [.. arguments, "-i", "127.0.0.1", "-m", "1", "-timeout", "30s", "-timeout_error", "-recv_timeout", "20000"],
            TimeSpan.FromSeconds(60));
        if (sippRunning is not null)
        {
            await sippRunning();
        }

        var result = await run;
        Assert.True(result.ExitCode == 0, "sipp failed: " + result.Describe());
    }

    private static async Task<string> ReadHeaderAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the connection closed before a response arrived");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
