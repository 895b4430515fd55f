using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

/// <summary>SIP over TLS (RFC 3261 §26.2) against .NET's own TLS client on loopback, with a certificate made here.</summary>
public sealed class TlsSipTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _folder = new();
    private readonly Channel<(string Text, SipEndPoint From)> _received = Channel.CreateUnbounded<(string, SipEndPoint)>();
    private readonly TlsTransportOptions _options = new() { Enabled = true, Port = 0, HandshakeTimeout = TimeSpan.FromMilliseconds(500) };
    private TlsSipTransport _transport = null!;
    private string _thumbprint = null!;

    public Task InitializeAsync()
    {
        _options.CertificatePath = _folder.File("cert.pem");
        _options.PrivateKeyPath = _folder.File("key.pem");
        _thumbprint = TestCertificates.WritePem(_options.CertificatePath, _options.PrivateKeyPath);
        _transport = new TlsSipTransport(new IPEndPoint(IPAddress.Loopback, 0), new TcpTransportOptions(), _options, "test", NullLogger<TlsSipTransport>.Instance);
        _transport.Start((message, from) => _received.Writer.TryWrite((Encoding.ASCII.GetString(message.Span), from)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_request_over_tls_arrives_as_tls_and_the_response_goes_back_on_the_same_connection()
    {
        await using var client = await ConnectAsync();
        var options = Request();
        await client.Stream.WriteAsync(Encoding.ASCII.GetBytes(options));

        var (text, from) = await _received.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(options, text);
        Assert.Equal(SipTransportProtocol.Tls, from.Protocol);
        Assert.Equal("TLS", from.ViaTransport);
        Assert.Equal(_thumbprint, client.ServerThumbprint);

        const string response = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
        Assert.True(await _transport.SendAsync(Encoding.ASCII.GetBytes(response), from));
        var buffer = new byte[response.Length];
        await client.Stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.Equal(response, Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_client_that_never_starts_the_handshake_is_cut_off_and_counted()
    {
        using var failures = new HandshakeFailureCounter();
        using var silent = new TcpClient();
        await silent.ConnectAsync(_transport.LocalEndPoint);

        // The server closes the connection once HandshakeTimeout passes: the read ends with 0 bytes or a reset.
        var closed = await ReadUntilClosedAsync(silent.GetStream());

        Assert.True(closed);
        await Eventually.TrueAsync(() => _transport.ConnectionCount == 0 && failures.Timeouts >= 1, Timeout);
    }

    [Fact]
    public async Task Plain_sip_on_the_tls_port_fails_the_handshake_is_counted_and_the_listener_keeps_serving()
    {
        using var failures = new HandshakeFailureCounter();
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(_transport.LocalEndPoint);
            await plain.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Request()));
            Assert.True(await ReadUntilClosedAsync(plain.GetStream()));
        }

        await Eventually.TrueAsync(() => failures.Errors >= 1, Timeout);
        await using var client = await ConnectAsync();
        await client.Stream.WriteAsync(Encoding.ASCII.GetBytes(Request()));
        Assert.Equal(SipTransportProtocol.Tls, (await _received.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).From.Protocol);
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_from_the_next_connection_without_a_restart()
    {
        await using (var before = await ConnectAsync())
        {
            Assert.Equal(_thumbprint, before.ServerThumbprint);
        }

        var renewed = TestCertificates.WritePem(_options.CertificatePath!, _options.PrivateKeyPath!, "renewed.test");

        // Same-second rewrites can keep the write time on coarse file systems; the size may match too. Move it on.
        File.SetLastWriteTimeUtc(_options.CertificatePath!, DateTime.UtcNow.AddMinutes(1));

        await using var after = await ConnectAsync();
        Assert.Equal(renewed, after.ServerThumbprint);
        Assert.NotEqual(_thumbprint, renewed);
    }

    [Fact]
    public async Task A_broken_renewal_keeps_the_previous_certificate()
    {
        File.WriteAllText(_options.CertificatePath!, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        File.SetLastWriteTimeUtc(_options.CertificatePath!, DateTime.UtcNow.AddMinutes(1));

        await using var client = await ConnectAsync();

        Assert.Equal(_thumbprint, client.ServerThumbprint);
    }

    [Fact]
    public void Enabled_without_a_certificate_is_a_configuration_error()
    {
        var options = new TlsTransportOptions { Enabled = true };

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    private static string Request() =>
        "OPTIONS sips:gateway@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK1\r\n" +
        "From: <sips:a@127.0.0.1>;tag=1\r\nTo: <sips:gateway@127.0.0.1>\r\nCall-ID: tls-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    private static async Task<bool> ReadUntilClosedAsync(NetworkStream stream)
    {
        var buffer = new byte[1024];
        using var wait = new CancellationTokenSource(Timeout);
        try
        {
            while (await stream.ReadAsync(buffer, wait.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<TlsClient> ConnectAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(_transport.LocalEndPoint);
        string? thumbprint = null;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // Self-signed: the test records what it was served and asserts on it instead of trusting a root.
                thumbprint = (certificate as X509Certificate2)?.Thumbprint;
                return thumbprint is not null;
            },
        }).WaitAsync(Timeout);
        return new TlsClient(tcp, ssl, thumbprint!);
    }

    private sealed record TlsClient(TcpClient Tcp, SslStream Stream, string ServerThumbprint) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            Tcp.Dispose();
        }
    }

    /// <summary>Listens to sip.tls.handshake_failures by reason for the lifetime of one test.</summary>
    private sealed class HandshakeFailureCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _timeouts;
        private long _errors;

        public HandshakeFailureCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "sip.tls.handshake_failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                    {
                        Interlocked.Add(ref tag.Value as string == "timeout" ? ref _timeouts : ref _errors, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Timeouts => Interlocked.Read(ref _timeouts);

        public long Errors => Interlocked.Read(ref _errors);

        public void Dispose() => _listener.Dispose();
    }
}
