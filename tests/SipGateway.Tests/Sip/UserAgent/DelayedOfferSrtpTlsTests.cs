using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.SipGateway.Codecs;
using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.SipGateway.Rtp.Srtp;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>
/// A delayed-offer INVITE over TLS (RFC 3261 §13.2.1, §26) with the default Sip:Srtp:Mode=Optional: because the
/// signalling is secure, our offer in the 200 is RTP/SAVP with a fresh SDES key (RFC 4568 §7.1.1); the caller's
/// answer in the ACK brings its key, and the media is SRTP both ways (RFC 3711), through a real RtpSession on
/// loopback sockets, applied the way CallManager applies it (CompleteSrtp, then UpdateRemote).
/// </summary>
public sealed class DelayedOfferSrtpTlsTests
{
    private static readonly TimeSpan Timeout = TlsDialogCaller.Timeout;

    [Fact]
    public async Task A_delayed_offer_over_tls_gets_an_srtp_offer_and_the_media_is_srtp_both_ways()
    {
        using var folder = new TempDirectory();
        var (tls, thumbprint) = TlsDialogCaller.Listener(folder);
        var options = new SipOptions { ListenAddress = "127.0.0.1", Port = 0, PublicAddress = "127.0.0.1", T1 = TimeSpan.FromMilliseconds(50), T2 = TimeSpan.FromMilliseconds(200), Tls = tls };
        Assert.Equal(SrtpMode.Optional, options.Srtp.Mode);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sink = new FrameSink();
        RtpSession? session = null;
        var handler = new TestCallHandler((call, _) =>
        {
            session = new RtpSession(new RtpPortLease(socket, release: null), MuLawCodec.Instance, call.RemoteRtp, sink, srtpOffered: call.OfferedSrtpKey);
            session.Start();
            return Task.FromResult(MediaAcceptance.Accept(session.LocalEndPoint));
        });
        await using var server = new SipUserAgentServer(options, handler, NullLoggerFactory.Instance);
        await server.StartAsync();
        using var peerRtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerKey = SrtpMasterKey.Generate();
        await using var caller = await TlsDialogCaller.ConnectAsync(server, thumbprint, "delayed-offer-srtp");
        try
        {
            await caller.SendAsync("INVITE", 1, toTag: null, body: string.Empty);

            var call = await TestCallHandler.NextAsync(handler.Incoming);
            Assert.True(call.DelayedOffer);
            Assert.Null(call.Srtp);
            Assert.NotNull(call.OfferedSrtpKey);
            var ok = await caller.FinalAsync(1);
            Assert.Equal(200, ok.StatusCode);
            Assert.True(SdpParser.TryParse(ok.Body.Span, out var offer, out var error), error);
            var audio = Assert.Single(offer.Media);
            Assert.Equal("RTP/SAVP", audio.Protocol);
            var crypto = Assert.Single(audio.Cryptos);
            Assert.Equal((SdpCrypto.OfferTag, SdpCrypto.AesCm128HmacSha1With80BitTag), (crypto.Tag, crypto.Suite));
            Assert.True(crypto.TryGetUsableKey(out var offeredKey));
            Assert.True(offeredKey!.SameAs(call.OfferedSrtpKey));

            // Before the answer the media knows no peer key: an SRTP packet is dropped, never played as plain RTP.
            using var peerOut = new SrtpTransform(peerKey);
            await peerRtp.SendAsync(Protect(peerOut, 1, 0x10), session!.LocalEndPoint);
            await Eventually.TrueAsync(() => session.SrtpPacketsDropped == 1, Timeout);

            var tag = ok.To!.Tag!;
            var peerPort = ((IPEndPoint)peerRtp.Client.LocalEndPoint!).Port;
            await caller.SendAsync("ACK", 1, tag, Answer(peerPort, "1 AES_CM_128_HMAC_SHA1_80 inline:" + peerKey.ToBase64()));

            var (dialogId, update) = await TestCallHandler.NextAsync(handler.MediaUpdates);
            Assert.Equal(call.DialogId, dialogId);
            Assert.NotNull(update.Srtp);
            Assert.True(update.Srtp.Local.SameAs(offeredKey));
            Assert.True(update.Srtp.Remote.SameAs(peerKey));
            Assert.True(session.CompleteSrtp(update.Srtp));
            session.UpdateRemote(update.RemoteRtp, MuLawCodec.Instance, update.SendsAudio);
            await TestCallHandler.NextAsync(handler.Confirmed);

            // Caller to gateway: authentic SRTP under the caller's key plays.
            await peerRtp.SendAsync(Protect(peerOut, 2, 0x20), session.LocalEndPoint);
            await peerRtp.SendAsync(Protect(peerOut, 3, 0x30), session.LocalEndPoint);
            await Eventually.TrueAsync(() => sink.Frames.Any(f => f[0] == MuLawCodec.DecodeSample(0x30)), Timeout);
            Assert.Equal(MuLawCodec.DecodeSample(0x20), sink.Frames.First()[0]);
            Assert.Equal(1, session.SrtpPacketsDropped);

            // Gateway to caller: SRTP under our offered key, which only that key opens.
            Assert.True(session.SendAudio(Enumerable.Repeat((short)1000, 160).ToArray()));
            var received = (await peerRtp.ReceiveAsync().WaitAsync(Timeout)).Buffer;
            using var wrongIn = new SrtpTransform(peerKey);
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, wrongIn.Unprotect((byte[])received.Clone(), out _));
            using var peerIn = new SrtpTransform(offeredKey);
            Assert.Equal(SrtpUnprotectResult.Ok, peerIn.Unprotect(received, out var length));
            Assert.Equal(12 + 160, length);
            Assert.Equal(MuLawCodec.EncodeSample(1000), received[12]);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static string Answer(int rtpPort, string crypto) =>
        "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {rtpPort} RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=crypto:{crypto}\r\na=sendrecv\r\n";

    private static byte[] Protect(SrtpTransform transform, ushort sequence, byte code)
    {
        var buffer = new byte[12 + 160 + SrtpTransform.AuthTagLength];
        RtpPacketWriter.Write(buffer, false, 0, sequence, sequence * 160u, 0xCAFE, Enumerable.Repeat(code, 160).ToArray());
        var length = transform.Protect(buffer, 12 + 160);
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    private sealed class FrameSink : IRtpAudioSink
    {
        private readonly ConcurrentQueue<short[]> _frames = new();

        public IReadOnlyCollection<short[]> Frames => _frames;

        public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime) => _frames.Enqueue(pcm.ToArray());
    }
}
