using System.Collections.Concurrent;
using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Sip.Transport;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transactions;

/// <summary>
/// The INVITE server transaction table on a manual clock (RFC 3261 §17.2.1, §13.3.1.4): Timer G retransmits a final
/// response at T1, 2*T1, 4*T1, … capped at T2, Timer H gives up at 64*T1, an ACK stops it and Confirmed absorbs
/// retransmissions until Timer I; a 2xx never acknowledged is reported so the dialog can be ended.
/// </summary>
public sealed class InviteServerTransactionTableTests
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan T4 = TimeSpan.FromSeconds(5);
    private static readonly SipEndPoint Caller = SipEndPoint.Udp(new IPEndPoint(IPAddress.Loopback, 5070));

    private readonly ManualTimeProvider _time = new();
    private readonly Lock _sync = new();
    private readonly ConcurrentQueue<(TimeSpan At, byte[] Bytes, SipEndPoint To)> _sent = new();

    private InviteServerTransactionTable NewTable() => new(_sync, (bytes, to) => _sent.Enqueue((_time.Now, bytes, to)), T1, T2, T4, _time);

    private static SipRequest Invite(string branch = "z9hG4bK-ist-1") => (SipRequest)SipMessageParser.Parse(System.Text.Encoding.ASCII.GetBytes(
        $"INVITE sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\nFrom: <sip:c@127.0.0.1>;tag=c\r\n"
        + "To: <sip:gw@127.0.0.1>\r\nCall-ID: ist-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")).Message!;

    private InviteServerTransaction Add(InviteServerTransactionTable table, InviteTransactionState state, SipEndPoint? destination = null)
    {
        var invite = Invite();
        var tx = new InviteServerTransaction(ServerTransactionKey.Of(invite), invite, destination ?? Caller, "gw-tag")
        {
            State = state,
            LastResponse = [(byte)state],
        };
        lock (_sync)
        {
            Assert.True(table.TryAdd(tx));
        }

        return tx;
    }

    /// <summary>Fires the armed timers one by one until <paramref name="run"/> completes; the timer chain is re-armed by the loop.</summary>
    private async Task<T> RunToCompletionAsync<T>(Task<T> run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!run.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retransmission loop stopped arming timers");
            if (!_time.TryAdvanceToNextTimer())
            {
                await Task.Yield();
                await Task.Delay(1);
            }
        }

        return await run;
    }

    private async Task WaitForSentAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_sent.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} sends, saw {_sent.Count}");
            if (!_time.TryAdvanceToNextTimer())
            {
                await Task.Delay(1);
            }
        }
    }

    [Fact]
    public async Task Timer_g_doubles_from_t1_to_t2_and_timer_h_gives_up_at_64_t1()
    {
        var table = NewTable();
        var tx = Add(table, InviteTransactionState.Completed);

        var unacknowledged2xx = await RunToCompletionAsync(table.RetransmitFinalAsync(tx));

        // T1, 2*T1, 4*T1, then T2 steps; the last copy goes out before 64*T1 (32 s) and none after.
        var at = _sent.Select(s => s.At.TotalSeconds).ToArray();
        Assert.Equal(new[] { 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 }, at);
        Assert.All(_sent, s => Assert.Equal((byte)InviteTransactionState.Completed, s.Bytes[0]));
        Assert.False(unacknowledged2xx);
        Assert.Equal(InviteTransactionState.Terminated, tx.State);

        // Terminated still absorbs a retransmitted INVITE for 64*T1, then is forgotten.
        table.Sweep();
        lock (_sync)
        {
            Assert.Equal(1, table.Count);
        }

        _time.Advance(T1 * 64);
        table.Sweep();
        lock (_sync)
        {
            Assert.Equal(0, table.Count);
        }
    }

    [Fact]
    public async Task Ack_stops_retransmission_and_confirmed_absorbs_invites_until_timer_i()
    {
        var table = NewTable();
        var tx = Add(table, InviteTransactionState.Completed);
        var run = table.RetransmitFinalAsync(tx);
        await WaitForSentAsync(2);

        InviteServerTransaction? confirmed;
        lock (_sync)
        {
            confirmed = table.TryConfirm(tx.Key);
        }

        Assert.Same(tx, confirmed);
        tx.StopRetransmissions();
        Assert.False(await run);
        Assert.Equal(InviteTransactionState.Confirmed, tx.State);
        var sentBeforeAck = _sent.Count;

        // No copy after the ACK, however far the clock moves; a second ACK finds nothing left to confirm.
        _time.Advance(T1 * 64);
        Assert.Equal(sentBeforeAck, _sent.Count);
        lock (_sync)
        {
            Assert.Null(table.TryConfirm(tx.Key));
        }

        // Timer I (T4 over UDP) ran out during that advance: the sweep forgets it.
        table.Sweep();
        lock (_sync)
        {
            Assert.Equal(0, table.Count);
        }
    }

    [Fact]
    public void A_retransmitted_invite_gets_the_last_response_except_in_confirmed()
    {
        var table = NewTable();
        var tx = Add(table, InviteTransactionState.Proceeding);

        Assert.True(table.TryAbsorbRetransmission(tx.Key));
        Assert.Single(_sent);
        Assert.Equal((byte)InviteTransactionState.Proceeding, _sent.Single().Bytes[0]);

        lock (_sync)
        {
            tx.State = InviteTransactionState.Completed;
            Assert.NotNull(table.TryConfirm(tx.Key));
        }

        Assert.True(table.TryAbsorbRetransmission(tx.Key));
        Assert.Single(_sent);

        // Before T4 the confirmed transaction stays; an unknown key is a new transaction.
        table.Sweep();
        lock (_sync)
        {
            Assert.Equal(1, table.Count);
        }

        Assert.False(table.TryAbsorbRetransmission("z9hG4bK-other|127.0.0.1:5070"));
    }

    [Fact]
    public async Task An_unacknowledged_2xx_is_retransmitted_until_64_t1_and_reported()
    {
        var table = NewTable();
        var tx = Add(table, InviteTransactionState.Accepted);

        Assert.True(await RunToCompletionAsync(table.RetransmitFinalAsync(tx)));
        Assert.Equal(10, _sent.Count);
        Assert.Equal(InviteTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task Over_tcp_a_non_2xx_final_is_not_retransmitted_but_timer_h_still_ends_it()
    {
        var table = NewTable();
        var tcp = new SipEndPoint(SipTransportProtocol.Tcp, Caller.Address, 7);
        var completed = Add(table, InviteTransactionState.Completed, tcp);

        Assert.False(await RunToCompletionAsync(table.RetransmitFinalAsync(completed)));
        Assert.Empty(_sent);
        Assert.Equal(InviteTransactionState.Terminated, completed.State);
        Assert.Equal(T1 * 64, _time.Now);
    }

    [Fact]
    public async Task Over_tcp_a_2xx_is_still_retransmitted_end_to_end()
    {
        var table = NewTable();
        var tcp = new SipEndPoint(SipTransportProtocol.Tcp, Caller.Address, 7);
        var accepted = Add(table, InviteTransactionState.Accepted, tcp);

        Assert.True(await RunToCompletionAsync(table.RetransmitFinalAsync(accepted)));
        Assert.Equal(10, _sent.Count);
        Assert.All(_sent, s => Assert.Equal(tcp, s.To));
    }
}
