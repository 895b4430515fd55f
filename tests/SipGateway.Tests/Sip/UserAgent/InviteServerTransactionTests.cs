using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;

/// <summary>RFC 3261 §17.2.1: the INVITE server transaction for 3xx–6xx finals (Timers G, H and I).</summary>
/// <summary>These tests measure retransmission timing on the wall clock, so they run alone, not beside the floods of the fuzz tests.</summary>
[CollectionDefinition(nameof(InviteServerTransactionTests), DisableParallelization = true)]
public sealed class WallClockTimers;

[Collection(nameof(InviteServerTransactionTests))]
public sealed class InviteServerTransactionTests
{
    private const int T1Ms = 50;
    private const int T2Ms = 200;

    private static async Task<SipUserAgentServer> StartAsync(TestCallHandler handler)
    {
        var options = new SipOptions
        {
            ListenAddress = "127.0.0.1",
            Port = 0,
            T1 = TimeSpan.FromMilliseconds(T1Ms),
            T2 = TimeSpan.FromMilliseconds(T2Ms),
            // Timer I (T4) must outlast the drain after the ACK plus the repeated ACK and INVITE, or the repeated
            // INVITE would rightly start a new transaction.
            T4 = TimeSpan.FromSeconds(5),
        };
        return await TestUserAgent.StartAsync(handler, options);
    }

    private static TestCallHandler Busy() => new((_, _) => Task.FromResult(MediaAcceptance.Reject(486, "Busy Here")));

    [Fact]
    public async Task Unacknowledged_486_is_retransmitted_with_timer_g_until_timer_h()
    {
        await using var server = await StartAsync(Busy());
        using var caller = new SipTestCaller(server.LocalEndPoint);

        await caller.SendAsync(caller.Invite());
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        var first = await caller.ReceiveResponseAsync();
        Assert.Equal(486, first.StatusCode);
        var clock = Stopwatch.StartNew();
        var arrivals = new List<TimeSpan> { TimeSpan.Zero };

        // Never ACK: copies arrive at T1, 2*T1, 4*T1, then every T2, until Timer H (64*T1 = 3.2 s) gives up.
        while (true)
        {
            SipResponse copy;
            try
            {
                copy = await caller.ReceiveResponseAsync(64 * T1Ms + 1000);
            }
            catch (TimeoutException)
            {
                break;
            }

            Assert.Equal((486, first.To!.Tag), (copy.StatusCode, copy.To!.Tag));
            arrivals.Add(clock.Elapsed);
        }

        var retransmissions = arrivals.Count - 1;

        // At most 17 fit in 64*T1 (T1, 2T1, 4T1 then T2 steps); a loaded machine only delays timers, so fewer,
        // but T1, 2T1 and 4T1 (350 ms) always fit before Timer H at 3.2 s.
        Assert.InRange(retransmissions, 3, 17);
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        // No per-gap floor: one timer fired late on a loaded machine leaves a short gap before the next on-time
        // copy. Too-eager retransmission is caught by the count bound above.
        // Doubling (T1, 2T1, 4T1) spans 7*T1 in the first three gaps; a constant T1 interval would span 3*T1.
        // Summing keeps the check immune to one late timer on a busy machine, which can only lengthen gaps.
        Assert.True(gaps.Take(3).Sum() >= 7 * T1Ms * 0.8, $"Interval did not double: {string.Join(", ", gaps.Take(3).Select(g => g.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} ms");

        // Timer H: nothing later than 64*T1 plus scheduling slack.
        Assert.True(arrivals[^1] < TimeSpan.FromMilliseconds(64 * T1Ms + 1500), $"Last copy at {arrivals[^1]}");
        await caller.ExpectSilenceAsync(2 * T2Ms);
    }

    [Fact]
    public async Task Ack_stops_retransmission_and_repeated_acks_and_invites_are_absorbed()
    {
        var handler = Busy();
        await using var server = await StartAsync(handler);
        using var caller = new SipTestCaller(server.LocalEndPoint);

        var invite = caller.Invite();
        await caller.SendAsync(invite);
        Assert.Equal(100, (await caller.ReceiveResponseAsync()).StatusCode);
        var busy = await caller.ReceiveResponseAsync();
        // The first copy is due at T1; a busy machine may delay it, but never past Timer H (64*T1).
        var again = await caller.ReceiveResponseAsync(T1Ms * 64);
        Assert.Equal(486, again.StatusCode);

        // The ACK for a non-2xx final is part of the INVITE transaction: same branch (RFC 3261 §17.1.1.3).
        var ack = caller.Request("ACK", caller.InviteBranch, 1, busy.To!.Tag);
        await caller.SendAsync(ack);
        // Copies already sent before the ACK landed may still arrive; drain them until T2 passes quietly.
        // If Timer G were still running, a copy would come every T2 and this loop would hit its bound.
        var inFlight = 0;
        while (true)
        {
            try
            {
                await caller.ReceiveAsync(T2Ms);
                Assert.True(++inFlight <= 3, "486 copies kept coming after the ACK");
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        // Confirmed: Timer G stopped (several T2 periods pass), retransmitted ACKs and INVITEs get nothing.
        await caller.SendAsync(ack);
        await caller.SendAsync(invite);
        await caller.ExpectSilenceAsync(3 * T2Ms);
        await TestCallHandler.NextAsync(handler.Incoming);
        Assert.False(handler.Incoming.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Non_2xx_final_over_tcp_is_sent_once()
    {
        await using var server = await StartAsync(Busy());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.LocalEndPoint);
        var stream = tcp.GetStream();
        var local = (System.Net.IPEndPoint)tcp.Client.LocalEndPoint!;

        // No SDP offer (a delayed offer since issue 18): the busy handler refuses it with 486.
        var invite =
            "INVITE sip:gateway@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP 127.0.0.1:{local.Port};branch=z9hG4bK-tcp-{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=a\r\nTo: <sip:gateway@127.0.0.1>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:{local.Port};transport=tcp>\r\n" +
            "Content-Length: 0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(invite));

        // Long enough for Timer G to have fired four times over UDP (T1 + 2T1 + 4T1 + T2).
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var window = new CancellationTokenSource(T1Ms * 7 + T2Ms + 300);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, window.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
        }

        var text = received.ToString();
        var finals = text.Split("SIP/2.0 486", StringSplitOptions.None).Length - 1;
        Assert.True(finals == 1, $"Expected exactly one 486 over TCP, got {finals}:\n{text}");
    }
}
