using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Outbound;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Outbound;

/// <summary>
/// Outbound INVITEs (and so REFER and transfer legs) under Sip:Srtp:Mode=Required offer RTP/SAVP with a fresh SDES
/// key (RFC 4568 §7.1.1); the callee's answer must accept it, and the result carries both keys for the leg's media.
/// The callee is a raw UDP socket so the test sees the exact offer.
/// </summary>
public sealed class OutboundSrtpTests
{
    private const string CalleeKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Required_offers_srtp_and_takes_the_callee_key_or_hangs_up_on_a_plain_answer(bool calleeAnswersSrtp)
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromSeconds(1) };
        options.Srtp.Mode = SrtpMode.Required;
        await using var server = new SipUserAgentServer(options, new TestCallHandler(), NullLoggerFactory.Instance);
        await server.StartAsync();
        using var callee = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var calleeEndPoint = (IPEndPoint)callee.Client.LocalEndPoint!;

        var placing = server.PlaceCallAsync(
            new OutboundCallRequest { Target = $"sip:agent@{calleeEndPoint}", FromUser = "gateway", LocalRtp = new IPEndPoint(IPAddress.Loopback, 41_002) },
            CancellationToken.None);

        var invite = await ReceiveRequestAsync(callee, SipMethods.Invite);
        Assert.True(SdpParser.TryParse(invite.Body.Span, out var offer, out var error), error);
        var audio = Assert.Single(offer.Media);
        Assert.Equal("RTP/SAVP", audio.Protocol);
        var crypto = Assert.Single(audio.Cryptos);
        Assert.Equal((1, "AES_CM_128_HMAC_SHA1_80"), (crypto.Tag, crypto.Suite));
        Assert.True(crypto.TryGetUsableKey(out var ours));

        var answer = calleeAnswersSrtp
            ? "m=audio 6004 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + CalleeKey + "\r\n"
            : "m=audio 6004 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        await callee.SendAsync(Encoding.ASCII.GetBytes(Ok(invite, calleeEndPoint, "v=0\r\no=agent 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + answer)), ToEndPoint(invite));

        Assert.Equal(SipMethods.Ack, (await ReceiveRequestAsync(callee, SipMethods.Ack)).Method);
        if (!calleeAnswersSrtp)
        {
            // RFC 3261 §13.2.2.4: the 2xx is ACKed, then the call it set up is ended at once, and the caller told why.
            var bye = await ReceiveRequestAsync(callee, SipMethods.Bye);
            Assert.StartsWith("SIP ;cause=488 ;text=\"unusable SDP answer: SRTP required", bye.Headers.GetFirst("Reason"), StringComparison.Ordinal);
            await callee.SendAsync(Encoding.ASCII.GetBytes(SipTestCaller.ResponseTo(bye)), ToEndPoint(bye));
        }

        var result = await placing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(calleeAnswersSrtp, result.Succeeded);
        if (calleeAnswersSrtp)
        {
            Assert.True(result.Srtp!.Local.SameAs(ours!));
            Assert.Equal(CalleeKey, result.Srtp.Remote.ToBase64());
            var hangUp = server.HangUpAsync(result.DialogId!, CancellationToken.None);
            var bye = await ReceiveRequestAsync(callee, SipMethods.Bye);
            await callee.SendAsync(Encoding.ASCII.GetBytes(SipTestCaller.ResponseTo(bye)), ToEndPoint(bye));
            await hangUp.WaitAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            Assert.Null(result.Srtp);
            Assert.Contains("SRTP", result.Reason, StringComparison.Ordinal);
        }
    }

    private static string Ok(SipRequest invite, IPEndPoint callee, string sdp)
    {
        var sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var h in invite.Headers)
        {
            if (h.Id is SipHeaderId.Via or SipHeaderId.From or SipHeaderId.CallId or SipHeaderId.CSeq)
            {
                sb.Append(h.Name).Append(": ").Append(h.GetValueString()).Append("\r\n");
            }
            else if (h.Id == SipHeaderId.To)
            {
                sb.Append("To: ").Append(h.GetValueString()).Append(";tag=agent\r\n");
            }
        }

        return sb.Append($"Contact: <sip:agent@{callee}>\r\nContent-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}").ToString();
    }

    private static IPEndPoint ToEndPoint(SipRequest request) => new(IPAddress.Loopback, request.TopVia!.Port!.Value);

    private static async Task<SipRequest> ReceiveRequestAsync(UdpClient socket, string method)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var datagram = await socket.ReceiveAsync(timeout.Token);
            if (SipMessageParser.Parse(datagram.Buffer) is { Success: true, Message: SipRequest request } && request.Method == method)
            {
                return request;
            }
        }
    }
}
