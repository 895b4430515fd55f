using System.Net;
using System.Text;
using System.Threading.Channels;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Transactions;
using StepAudio.Telephony.SipGateway.Tests.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Sip.Transactions;

/// <summary>RFC 3261 §17.1.2.2 timers on a manual clock with a fake transport (T1 500 ms, T2 4 s, T4 5 s).</summary>
public sealed class NonInviteClientTransactionLayerTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5060);
    private readonly ManualTimeProvider _time = new();
    private readonly Channel<TimeSpan> _sends = Channel.CreateUnbounded<TimeSpan>();
    private readonly NonInviteClientTransactionLayer _layer;

    public NonInviteClientTransactionLayerTests()
    {
        _layer = new NonInviteClientTransactionLayer(
            (_, _, _) =>
            {
                _sends.Writer.TryWrite(_time.Now);
                return ValueTask.FromResult(true);
            },
            SipTimers.Default,
            _time);
    }

    [Fact]
    public async Task Timer_E_doubles_from_T1_to_T2_and_Timer_F_gives_408_at_64_T1()
    {
        var result = _layer.SendAsync(Request("z9hG4bKtimerf"), Peer, CancellationToken.None);
        var sendTimes = new List<TimeSpan> { await NextSendAsync() };
        while (!result.IsCompleted)
        {
            Assert.True(_time.TryAdvanceToNextTimer(), "no timer armed while the transaction runs");
            if (await NextSendOrCompletionAsync(result) is { } at)
            {
                sendTimes.Add(at);
            }
        }

        // Retransmissions at 0.5, 1.5, 3.5, 7.5 s, then every T2 (4 s) until Timer F at 32 s.
        double[] expected = [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5];
        Assert.Equal(expected, sendTimes.Select(t => t.TotalSeconds));
        var response = await result;
        Assert.Equal(408, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(32), _time.Now);
        Assert.Equal(0, _layer.Count);
    }

    [Fact]
    public async Task Provisional_response_moves_to_Proceeding_where_Timer_E_uses_T2()
    {
        var provisional = new List<int>();
        var result = _layer.SendAsync(Request("z9hG4bKproc"), Peer, CancellationToken.None, r => provisional.Add(r.StatusCode));
        await NextSendAsync();
        Assert.True(_layer.TryDeliver(Response(100, "z9hG4bKproc")));
        Assert.Equal([100], provisional);

        // Timer E was armed at T1 before the 100; the retransmission after it is T2 later (§17.1.2.2, Proceeding).
        _time.TryAdvanceToNextTimer();
        Assert.Equal(0.5, (await NextSendAsync()).TotalSeconds);
        _time.TryAdvanceToNextTimer();
        Assert.Equal(4.5, (await NextSendAsync()).TotalSeconds);

        Assert.True(_layer.TryDeliver(Response(200, "z9hG4bKproc")));
        Assert.Equal(200, (await result).StatusCode);
    }

    [Fact]
    public async Task Final_response_completes_and_retransmissions_are_absorbed_until_Timer_K()
    {
        var result = _layer.SendAsync(Request("z9hG4bKabsorb"), Peer, CancellationToken.None);
        await NextSendAsync();
        Assert.True(_layer.TryDeliver(Response(401, "z9hG4bKabsorb")));
        Assert.Equal(401, (await result).StatusCode);

        // Completed: the retransmitted 401 still belongs to us (absorbed), and nothing is retransmitted any more.
        Assert.True(_layer.TryDeliver(Response(401, "z9hG4bKabsorb")));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(_layer.TryDeliver(Response(401, "z9hG4bKabsorb")));
        Assert.False(_sends.Reader.TryRead(out _));

        // Timer K (T4 = 5 s) ends the transaction; later copies are someone else's problem.
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await WaitUntilAsync(() => _layer.Count == 0);
        Assert.False(_layer.TryDeliver(Response(401, "z9hG4bKabsorb")));
    }

    [Fact]
    public async Task Responses_match_on_branch_and_CSeq_method()
    {
        var result = _layer.SendAsync(Request("z9hG4bKmatch"), Peer, CancellationToken.None);
        await NextSendAsync();
        Assert.False(_layer.TryDeliver(Response(200, "z9hG4bKother")));
        Assert.False(_layer.TryDeliver(Response(200, "z9hG4bKmatch", method: "OPTIONS")));
        Assert.False(result.IsCompleted);
        Assert.True(_layer.TryDeliver(Response(200, "z9hG4bKmatch")));
        Assert.Equal(200, (await result).StatusCode);
    }

    [Fact]
    public async Task Cancellation_stops_retransmitting_and_removes_the_transaction()
    {
        using var cts = new CancellationTokenSource();
        var result = _layer.SendAsync(Request("z9hG4bKcancel"), Peer, cts.Token);
        await NextSendAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => result);
        Assert.Equal(0, _layer.Count);
    }

    [Fact]
    public async Task A_failed_first_send_reports_503()
    {
        var layer = new NonInviteClientTransactionLayer((_, _, _) => ValueTask.FromResult(false), SipTimers.Default, _time);
        Assert.Equal(503, (await layer.SendAsync(Request("z9hG4bKfail"), Peer, CancellationToken.None)).StatusCode);
        Assert.Equal(0, layer.Count);
    }

    private static SipRequest Request(string branch)
    {
        var headers = new SipHeaders();
        headers.Add(SipHeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:5070;branch={branch}");
        headers.Add(SipHeaderId.From, "<sip:a@example.com>;tag=1");
        headers.Add(SipHeaderId.To, "<sip:a@example.com>");
        headers.Add(SipHeaderId.CallId, "call-1");
        headers.Add(SipHeaderId.CSeq, "1 REGISTER");
        return new SipRequest(SipMethods.Register, "sip:example.com", headers);
    }

    /// <summary>A response as it arrives off the wire: parsed, so the typed Via and CSeq are filled in.</summary>
    private static SipResponse Response(int status, string branch, string method = "REGISTER")
    {
        var text = $"SIP/2.0 {status} Whatever\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\r\nFrom: <sip:a@example.com>;tag=1\r\n"
            + $"To: <sip:a@example.com>;tag=2\r\nCall-ID: call-1\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n";
        var parsed = SipMessageParser.Parse(Encoding.ASCII.GetBytes(text));
        Assert.True(parsed.Success);
        return (SipResponse)parsed.Message!;
    }

    private async Task<TimeSpan> NextSendAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _sends.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next send, or null if the transaction completed instead (after Timer F).</summary>
    private async Task<TimeSpan?> NextSendOrCompletionAsync(Task result)
    {
        var read = _sends.Reader.ReadAsync().AsTask();
        var done = await Task.WhenAny(read, result, Task.Delay(TimeSpan.FromSeconds(5)));
        if (done == read)
        {
            return await read;
        }

        Assert.True(done == result, "neither a send nor completion after a timer fired");
        return _sends.Reader.TryRead(out var late) ? late : null;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
}
