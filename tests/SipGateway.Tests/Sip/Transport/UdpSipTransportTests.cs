using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transport;

public sealed class UdpSipTransportTests
{
    [Fact]
    public async Task Requested_receive_buffer_is_larger_than_the_os_default()
    {
        await using var plain = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpSipTransport>.Instance);
        await using var large = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpSipTransport>.Instance, 4 * 1024 * 1024);

        // The kernel may cap the request at net.core.rmem_max, but even a capped request beats the default.
        Assert.True(large.ReceiveBufferSize > plain.ReceiveBufferSize, $"{large.ReceiveBufferSize} vs default {plain.ReceiveBufferSize}");
    }

    [Fact]
    public async Task Delivers_datagrams_skips_keepalives_and_survives_handler_failures()
    {
        await using var transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpSipTransport>.Instance);
        Assert.NotEqual(0, transport.LocalEndPoint.Port);

        var received = Channel.CreateUnbounded<(string Text, IPEndPoint From)>();
        transport.Start((datagram, remote) =>
        {
            var text = Encoding.ASCII.GetString(datagram.Span);
            if (text == "throw")
            {
                throw new InvalidOperationException("handler failure");
            }

            received.Writer.TryWrite((text, remote));
        });

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var clientEndPoint = (IPEndPoint)client.Client.LocalEndPoint!;
        foreach (var payload in new[] { "\r\n\r\n", "throw", "OPTIONS" })
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(payload), transport.LocalEndPoint);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var (text, from) = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal("OPTIONS", text);
        Assert.Equal(clientEndPoint, from);

        Assert.True(await transport.SendAsync(Encoding.ASCII.GetBytes("reply"), clientEndPoint));
        var reply = await client.ReceiveAsync(timeout.Token);
        Assert.Equal("reply", Encoding.ASCII.GetString(reply.Buffer));
        Assert.Equal(transport.LocalEndPoint, reply.RemoteEndPoint);
    }
}
