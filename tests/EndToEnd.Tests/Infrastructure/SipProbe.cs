using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Sends one out-of-dialog request over UDP, as a proxy's keep-alive probe or a new call would arrive, and returns the
/// first final response's status line and headers (provisional 1xx skipped).
/// </summary>
internal static class SipProbe
{
    public static async Task<string> SendAsync(int gatewayPort, string method, TimeSpan timeout)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)socket.Client.LocalEndPoint!;
        var id = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var body = method == "INVITE"
            ? "v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            : string.Empty;
        var port = gatewayPort.ToString(CultureInfo.InvariantCulture);
        var localPort = local.Port.ToString(CultureInfo.InvariantCulture);
        string[] lines =
        [
            $"{method} sip:probe@127.0.0.1:{port} SIP/2.0",
            $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK{id}",
            "Max-Forwards: 70",
            $"From: <sip:drain-test@127.0.0.1>;tag={id[..8]}",
            $"To: <sip:probe@127.0.0.1:{port}>",
            $"Call-ID: {id}@127.0.0.1",
            $"CSeq: 1 {method}",
            $"Contact: <sip:drain-test@127.0.0.1:{localPort}>",
            .. body.Length > 0 ? ["Content-Type: application/sdp"] : Array.Empty<string>(),
            "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture),
        ];
        var request = string.Join("\r\n", lines) + "\r\n\r\n" + body;
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), new IPEndPoint(IPAddress.Loopback, gatewayPort));
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var datagram = await socket.ReceiveAsync(cts.Token);
            var text = Encoding.ASCII.GetString(datagram.Buffer);
            var head = text[..Math.Max(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
            if (!head.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return head;
            }
        }
    }
}
