using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.Transport;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// Requests the gateway sends inside a dialog set up over TLS: their Via sent-by and Contact name the TLS listener's
/// port, not the UDP one (RFC 3261 §18.1.1, §26), so responses and later requests come back to a port that speaks TLS.
/// </summary>
public sealed class TlsInDialogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_bye_over_tls_names_the_tls_listener_in_its_via_sent_by()
    {
        using var folder = new TempDirectory();
        var handler = new TestCallHandler();
        var (server, thumbprint) = await StartAsync(folder, handler);
        await using var running = server;
        var tlsPort = server.TlsEndPoint!.Port;
        Assert.NotEqual(server.LocalEndPoint.Port, tlsPort);
        using var tcp = new TcpClient();
        await using var ssl = await ConnectAsync(tcp, server, thumbprint);
        var reader = new SipStreamReader(ssl, Timeout);
        var port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("INVITE", port, 1, toTag: null, SipTestCaller.Offer)));
        var ok = await FinalAsync(reader, 1);
        Assert.Equal(200, ok.StatusCode);
        var tag = ok.To!.Tag!;
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("ACK", port, 1, tag, body: string.Empty)));
        var dialogId = await TestCallHandler.NextAsync(handler.Confirmed);

        var hangUp = server.HangUpAsync(dialogId, CancellationToken.None);
        SipRequest bye;
        while (true)
        {
            if (await reader.NextAsync() is SipRequest { Method: SipMethods.Bye } request)
            {
                bye = request;
                break;
            }
        }

        Assert.Equal("TLS", bye.TopVia!.Transport);
        Assert.Equal(tlsPort, bye.TopVia.Port);
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(SipTestCaller.ResponseTo(bye)));
        await hangUp.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_reinvite_over_tls_is_answered_with_a_contact_on_the_tls_listener()
    {
        using var folder = new TempDirectory();
        var handler = new TestCallHandler();
        var (server, thumbprint) = await StartAsync(folder, handler);
        await using var running = server;
        var tlsPort = server.TlsEndPoint!.Port;
        Assert.NotEqual(server.LocalEndPoint.Port, tlsPort);
        using var tcp = new TcpClient();
        await using var ssl = await ConnectAsync(tcp, server, thumbprint);
        var reader = new SipStreamReader(ssl, Timeout);
        var port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("INVITE", port, 1, toTag: null, SipTestCaller.Offer)));
        var ok = await FinalAsync(reader, 1);
        var tag = ok.To!.Tag!;
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("ACK", port, 1, tag, body: string.Empty)));
        await TestCallHandler.NextAsync(handler.Confirmed);

        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("INVITE", port, 2, tag, SipTestCaller.Offer)));
        var reinviteOk = await FinalAsync(reader, 2);
        Assert.Equal(200, reinviteOk.StatusCode);
        Assert.Equal($"<sip:127.0.0.1:{tlsPort};transport=tls>", reinviteOk.Headers.GetFirst(SipHeaderId.Contact));
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Request("ACK", port, 2, tag, body: string.Empty)));
    }

    private static async Task<(SipUserAgentServer Server, string Thumbprint)> StartAsync(TempDirectory folder, TestCallHandler handler)
    {
        var tls = new TlsTransportOptions { Enabled = true, Port = 0, CertificatePath = folder.File("cert.pem"), PrivateKeyPath = folder.File("key.pem") };
        var thumbprint = TestCertificates.WritePem(tls.CertificatePath, tls.PrivateKeyPath);
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200), Tls = tls };
        var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        return (server, thumbprint);
    }

    private static Task<SslStream> ConnectAsync(TcpClient tcp, SipUserAgentServer server, string thumbprint) =>
        TlsTestClient.ConnectAsync(tcp, server.TlsEndPoint!, thumbprint, Timeout);

    private static async Task<SipResponse> FinalAsync(SipStreamReader reader, int cseq)
    {
        while (true)
        {
            if (await reader.NextAsync() is SipResponse { StatusCode: >= 200 } response && response.CSeq!.Value.Number == cseq)
            {
                return response;
            }
        }
    }

    private static string Request(string method, int port, int cseq, string? toTag, string body)
    {
        var to = toTag is null ? "<sip:gateway@127.0.0.1>" : $"<sip:gateway@127.0.0.1>;tag={toTag}";
        var sdp = method == "INVITE" ? "Content-Type: application/sdp\r\n" : string.Empty;
        return
            $"{method} sip:gateway@127.0.0.1;transport=tls SIP/2.0\r\n" +
            $"Via: SIP/2.0/TLS 127.0.0.1:{port};branch=z9hG4bK-tls-{method}-{cseq};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:caller@127.0.0.1>;tag=tls-caller\r\n" +
            $"To: {to}\r\n" +
            "Call-ID: tls-in-dialog@127.0.0.1\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:caller@127.0.0.1:{port};transport=tls>\r\n" +
            sdp +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}";
    }
}
