using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.Transport;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// A caller on one TLS connection to the gateway's listener, sending the requests of one dialog (one Call-ID and From
/// tag, named after the test) with Via and Contact on its own TLS port (RFC 3261 §26.2), and reading what comes back.
/// </summary>
internal sealed class TlsDialogCaller : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;
    private readonly SipStreamReader _reader;
    private readonly string _name;
    private readonly int _port;

    private TlsDialogCaller(TcpClient tcp, SslStream ssl, string name)
    {
        _tcp = tcp;
        _ssl = ssl;
        _name = name;
        _reader = new SipStreamReader(ssl, Timeout);
        _port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;
    }

    /// <summary>A TLS listener on a free port, with a fresh self-signed certificate in <paramref name="folder"/>; its thumbprint.</summary>
    public static (TlsTransportOptions Options, string Thumbprint) Listener(TempDirectory folder)
    {
        var tls = new TlsTransportOptions { Enabled = true, Port = 0, CertificatePath = folder.File("cert.pem"), PrivateKeyPath = folder.File("key.pem") };
        return (tls, TestCertificates.WritePem(tls.CertificatePath, tls.PrivateKeyPath));
    }

    public static async Task<TlsDialogCaller> ConnectAsync(SipUserAgentServer server, string thumbprint, string name)
    {
        var tcp = new TcpClient();
        try
        {
            var ssl = await TlsTestClient.ConnectAsync(tcp, server.TlsEndPoint!, thumbprint, Timeout);
            return new TlsDialogCaller(tcp, ssl, name);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>A request of the dialog; a non-empty body is sent as application/sdp.</summary>
    public Task SendAsync(string method, int cseq, string? toTag, string body)
    {
        var to = toTag is null ? "<sip:gateway@127.0.0.1>" : $"<sip:gateway@127.0.0.1>;tag={toTag}";
        var sdp = body.Length > 0 ? "Content-Type: application/sdp\r\n" : string.Empty;
        return SendRawAsync(
            $"{method} sip:gateway@127.0.0.1;transport=tls SIP/2.0\r\n" +
            $"Via: SIP/2.0/TLS 127.0.0.1:{_port};branch=z9hG4bK-{_name}-{method}-{cseq};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:caller@127.0.0.1>;tag={_name}-caller\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {_name}@127.0.0.1\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:caller@127.0.0.1:{_port};transport=tls>\r\n" +
            sdp +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}");
    }

    public async Task SendRawAsync(string message) => await _ssl.WriteAsync(Encoding.ASCII.GetBytes(message));

    /// <summary>The final response to the request with CSeq number <paramref name="cseq"/>; provisional ones are skipped.</summary>
    public async Task<SipResponse> FinalAsync(int cseq)
    {
        while (true)
        {
            if (await _reader.NextAsync() is SipResponse { StatusCode: >= 200 } response && response.CSeq!.Value.Number == cseq)
            {
                return response;
            }
        }
    }

    /// <summary>The next request of <paramref name="method"/> the gateway sends; anything else is skipped.</summary>
    public async Task<SipRequest> NextRequestAsync(string method)
    {
        while (true)
        {
            if (await _reader.NextAsync() is SipRequest request && request.Method == method)
            {
                return request;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        _tcp.Dispose();
    }
}
