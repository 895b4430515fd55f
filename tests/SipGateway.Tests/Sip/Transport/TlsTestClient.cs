using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

/// <summary>A TLS client for the gateway's listener, trusting the test's self-signed certificate by its thumbprint.</summary>
internal static class TlsTestClient
{
    public static async Task<SslStream> ConnectAsync(TcpClient tcp, IPEndPoint server, string thumbprint, TimeSpan timeout)
    {
        await tcp.ConnectAsync(server);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => (certificate as X509Certificate2)?.Thumbprint == thumbprint,
        }).WaitAsync(timeout);
        return ssl;
    }
}
