using System.Collections.Concurrent;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Provisional;

/// <summary>
/// RFC 3262 §3 on a manual clock: retransmission at T1, 2*T1, 4*T1, … until PRACK, given up at 64*T1, one outstanding
/// response at a time, RSeq one higher each time.
/// </summary>
public sealed class ReliableProvisionalSenderTests
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);

    private readonly ManualTimeProvider _time = new();
    private readonly ConcurrentQueue<(TimeSpan At, byte[] Bytes)> _sent = new();

    private ReliableProvisionalSender NewSender(uint firstRSeq = 100) =>
        new(T1, _time, bytes => _sent.Enqueue((_time.Now, bytes)), firstRSeq);

    private static readonly SipRequest Invite = (SipRequest)SipMessageParser.Parse(
        "INVITE sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\nFrom: <sip:c@127.0.0.1>;tag=c\r\n"u8.ToArray()
            .Concat("To: <sip:gw@127.0.0.1>\r\nCall-ID: rel-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"u8.ToArray()).ToArray()).Message!;

    private static SipResponse Progress()
    {
        var response = SipResponseFactory.Create(Invite.Headers, 183, "Session Progress", "gw", "test");
        response.Body = "v=0\r\n"u8.ToArray();
        return response;
    }

    private static SipResponse Parse(byte[] bytes)
    {
        var result = SipMessageParser.Parse(bytes);
        Assert.True(result.Success, result.Error?.Reason);
        return Assert.IsType<SipResponse>(result.Message);
    }

    // Retransmission runs on the pool after each timer: wait for the count rather than assume it. The sender arms its
    // next wait just after a send; advancing before that (a loaded machine can preempt it there) would arm it late.
    private async Task AdvanceUntilSentAsync(TimeSpan by, int expectedCount)
    {
        await Eventually.TrueAsync(() => _time.ArmedTimers > 0, TimeSpan.FromSeconds(30));
        _time.Advance(by);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_sent.Count < expectedCount && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(expectedCount, _sent.Count);
    }

    [Fact]
    public async Task The_response_carries_require_100rel_and_rseq_and_is_retransmitted_with_doubling_intervals()
    {
        using var sender = NewSender();
        var outcome = sender.TrySend(Progress());

        Assert.NotNull(outcome);
        var first = Parse(_sent.Single().Bytes);
        Assert.Equal("100rel", first.Headers.GetFirst(SipHeaderId.Require));
        Assert.Equal("100", first.Headers.GetFirst(SipHeaderId.RSeq));
        Assert.Equal(100u, sender.OutstandingRSeq);

        // T1 after the send, then 2*T1 after that, then 4*T1: at 0.5 s, 1.5 s, 3.5 s, 7.5 s.
        await AdvanceUntilSentAsync(T1, 2);
        await AdvanceUntilSentAsync(T1, 2);
        await AdvanceUntilSentAsync(T1, 3);
        await AdvanceUntilSentAsync(T1 * 4, 4);
        Assert.Equal([TimeSpan.Zero, T1, T1 * 3, T1 * 7], _sent.Select(s => s.At));
        Assert.All(_sent, s => Assert.Equal(first.ToString(), Parse(s.Bytes).ToString()));
        Assert.False(outcome!.IsCompleted);

        Assert.True(sender.TryAcknowledge(100));
        Assert.Equal(ReliableOutcome.Acknowledged, await outcome.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(sender.OutstandingRSeq);

        _time.Advance(T1 * 64);
        await Task.Delay(50);
        Assert.Equal(4, _sent.Count);
    }

    [Fact]
    public async Task Without_prack_it_gives_up_at_64_t1()
    {
        using var sender = NewSender();
        var outcome = sender.TrySend(Progress())!;

        // Sends at 0, 1, 3, 7, 15, 31 and 63 T1; the next would be at 127 T1, past the 64*T1 limit.
        for (var i = 0; i < 6; i++)
        {
            _time.TryAdvanceToNextTimer();
            await Task.Delay(20);
        }

        var next = _time.Now;
        Assert.False(outcome.IsCompleted);
        while (!outcome.IsCompleted && _time.Now < T1 * 200)
        {
            _time.TryAdvanceToNextTimer();
            await Task.WhenAny(outcome, Task.Delay(50));
        }

        Assert.Equal(ReliableOutcome.TimedOut, await outcome.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(T1 * 64, _time.Now);
        Assert.Equal([0, 1, 3, 7, 15, 31, 63], _sent.Select(s => (int)(s.At / T1)));
        Assert.True(next < T1 * 64);

        // Given up: a late PRACK matches nothing (481), and nothing more is sent.
        Assert.False(sender.TryAcknowledge(100));
        Assert.Null(sender.TrySend(Progress()));
    }

    [Fact]
    public async Task One_outstanding_at_a_time_and_rseq_increases_by_one()
    {
        using var sender = NewSender(firstRSeq: uint.MaxValue - 1);
        var first = sender.TrySend(Progress())!;

        Assert.Null(sender.TrySend(Progress()));
        Assert.Single(_sent);

        Assert.False(sender.TryAcknowledge(uint.MaxValue));
        Assert.True(sender.TryAcknowledge(uint.MaxValue - 1));
        Assert.False(sender.TryAcknowledge(uint.MaxValue - 1));
        Assert.Equal(ReliableOutcome.Acknowledged, await first);

        var second = sender.TrySend(Progress())!;
        Assert.Equal(uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Parse(_sent.Last().Bytes).Headers.GetFirst(SipHeaderId.RSeq));
        Assert.True(sender.TryAcknowledge(uint.MaxValue));
        Assert.Equal(ReliableOutcome.Acknowledged, await second);

        // Past 2**32 - 1 the number wraps to 1, never 0 (RSeq 0 is not a valid value, §7.1).
        _ = sender.TrySend(Progress())!;
        Assert.Equal("1", Parse(_sent.Last().Bytes).Headers.GetFirst(SipHeaderId.RSeq));
    }

    [Fact]
    public async Task The_final_response_waits_until_settled_and_stop_ends_retransmission()
    {
        using var sender = NewSender();
        Assert.Equal(ReliableOutcome.Acknowledged, await sender.WhenSettledAsync());

        var outcome = sender.TrySend(Progress())!;
        var settled = sender.WhenSettledAsync();
        Assert.False(settled.IsCompleted);

        sender.Stop();

        Assert.Equal(ReliableOutcome.Stopped, await settled.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ReliableOutcome.Stopped, await outcome);
        _time.Advance(T1 * 100);
        await Task.Delay(50);
        Assert.Single(_sent);
        Assert.Null(sender.TrySend(Progress()));
    }

    [Fact]
    public void The_first_rseq_is_between_1_and_2_pow_31_minus_1()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(ReliableProvisionalSender.NewFirstRSeq(), 1u, (uint)int.MaxValue);
        }
    }
}
