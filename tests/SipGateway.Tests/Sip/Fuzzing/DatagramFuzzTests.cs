using System.Text;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Fuzzing;

/// <summary>
/// Mechanical corruption of a valid INVITE and plain garbage, against a running UAS. Seeds are fixed so a failure
/// reproduces. Invariants: the server keeps answering, every response is well formed, every 400 says why, no call
/// reaches the handler from a broken INVITE, and the UAS tables drain back to empty.
/// </summary>
public sealed class DatagramFuzzTests
{
    private static byte[] ValidInvite(FuzzedServer fuzz, string callId) =>
        Encoding.UTF8.GetBytes(fuzz.Peer.Request(
            "INVITE", callId, $"Contact: <sip:peer@{fuzz.Peer.LocalEndPoint}>\r\nContent-Type: application/sdp\r\n", SipTestCaller.Offer));

    private static void AssertEveryResponseSaysWhy(FuzzedServer fuzz)
    {
        // A 400 echoes the request's Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2) even when one of them is what
        // was broken, so it may be as unparsable as the request. Anything else must be well formed.
        foreach (var raw in fuzz.Peer.Unparsable)
        {
            Assert.Contains("] SIP/2.0 400 ", raw, StringComparison.Ordinal);
        }

        foreach (var response in fuzz.Peer.Received)
        {
            Assert.True(response.StatusCode is < 500 or 501 or 505 or 513, $"Unexpected {response.StatusCode} {response.ReasonPhrase}");
            if (response.StatusCode == 400)
            {
                Assert.False(string.IsNullOrWhiteSpace(response.ReasonPhrase) || response.ReasonPhrase == "Bad Request", "A 400 without a reason");
            }
        }
    }

    [Fact]
    public async Task Invite_truncated_at_every_offset()
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var length = ValidInvite(fuzz, "trunc-0000").Length;
        var headerEnd = Encoding.UTF8.GetString(ValidInvite(fuzz, "trunc-0000")).IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;

        for (var k = 0; k < length; k++)
        {
            var callId = $"trunc-{k:D4}";
            await fuzz.Peer.SendAsync(ValidInvite(fuzz, callId)[..k]);
            if (k >= headerEnd)
            {
                // Whole header section, short body: RFC 3261 §18.3 makes a missing body octet an error.
                var response = await fuzz.Peer.ReceiveAsync(callId);
                Assert.Equal(400, response.StatusCode);
                Assert.Equal("Content-Length exceeds body", response.ReasonPhrase);
            }

            await fuzz.Peer.AssertAliveAsync();
        }

        Assert.False(fuzz.Handler.Incoming.Reader.TryRead(out var call), $"A truncated INVITE reached the handler: {call?.CallId}");
        AssertEveryResponseSaysWhy(fuzz);
        await fuzz.AssertTablesDrainAsync();
    }

    [Fact]
    public async Task Invite_with_random_bytes_flipped()
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var random = new Random(20261123);
        for (var i = 0; i < 3_000; i++)
        {
            var datagram = ValidInvite(fuzz, $"flip-{i:D4}");
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                datagram[random.Next(datagram.Length)] ^= (byte)random.Next(1, 256);
            }

            await fuzz.Peer.SendAsync(datagram);
            if (i % 100 == 99)
            {
                await fuzz.Peer.AssertAliveAsync();
            }
        }

        await fuzz.Peer.AssertAliveAsync();
        await fuzz.AssertTablesDrainAsync();
        AssertEveryResponseSaysWhy(fuzz);
        Assert.Contains(fuzz.Peer.Received, r => r.StatusCode == 400);
    }

    [Fact]
    public async Task A_flood_of_20000_garbage_datagrams_leaves_nothing_behind()
    {
        await using var fuzz = await FuzzedServer.StartAsync();
        var random = new Random(5060);
        // The Via names the peer, so whatever the server answers comes back to the test and nowhere else.
        var sipLike = Encoding.ASCII.GetBytes($"INVITE sip:gateway@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {fuzz.Peer.LocalEndPoint};branch=z9hG4bK-garbage\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            var datagram = new byte[random.Next(1, 1_400)];
            random.NextBytes(datagram);
            if (i % 3 == 0)
            {
                // A third start like SIP so that the parser gets past the start line into the headers.
                sipLike.AsSpan(0, Math.Min(sipLike.Length, datagram.Length)).CopyTo(datagram);
            }

            await fuzz.Peer.SendAsync(datagram);
            if (i % 250 == 249)
            {
                await fuzz.Peer.AssertAliveAsync();
            }
        }

        await fuzz.AssertTablesDrainAsync();
        Assert.Equal(0, fuzz.Server.ActiveDialogCount);
        AssertEveryResponseSaysWhy(fuzz);
    }
}
