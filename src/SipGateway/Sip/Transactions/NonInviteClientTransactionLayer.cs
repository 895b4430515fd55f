using System.Net;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// Non-INVITE client transactions over UDP (RFC 3261 §17.1.2) and their table. The request is sent, retransmitted on
/// Timer E (T1 doubling to T2; T2 once a provisional response arrived), abandoned with a synthesised 408 on Timer F
/// (64*T1), and kept for Timer K (T4) after the final response so that retransmitted final responses are absorbed
/// instead of reaching another component as strays. Responses are matched by top Via branch plus CSeq method
/// (§17.1.3). Timers run on the given <see cref="TimeProvider"/> so tests can drive them.
/// </summary>
public sealed class NonInviteClientTransactionLayer
{
    private readonly SipDatagramSender _send;
    private readonly SipTimers _timers;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, NonInviteClientTransaction> _transactions = new(StringComparer.Ordinal);

    public NonInviteClientTransactionLayer(SipDatagramSender send, SipTimers timers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timers.T1, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(timers.T2, timers.T1);
        _send = send;
        _timers = timers;
        _time = time;
    }

    /// <summary>Transactions in the table (including those in Completed, waiting out Timer K).</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _transactions.Count;
            }
        }
    }

    /// <summary>
    /// Runs one transaction and resolves with its final response: the peer's, a synthesised 408 when Timer F fires,
    /// or a synthesised 503 when the first send fails (RFC 3261 §8.1.3.1 treats transport errors as 503).
    /// The request's top Via must carry a fresh RFC 3261 branch (z9hG4bK...); INVITE and ACK are rejected.
    /// Cancellation abandons the transaction (no more retransmissions) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<SipResponse> SendAsync(SipRequest request, IPEndPoint destination, CancellationToken cancellationToken, Action<SipResponse>? onProvisional = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        if (request.Method is SipMethods.Invite or SipMethods.Ack)
        {
            throw new ArgumentException("INVITE and ACK do not use the non-INVITE client transaction.", nameof(request));
        }

        var via = request.TopVia;
        if (via is null && !ViaHeader.TryParse((request.Headers.GetFirst(SipHeaderId.Via) ?? string.Empty).AsSpan(), out via))
        {
            throw new ArgumentException("The request has no valid Via header.", nameof(request));
        }

        if (!via.HasRfc3261Branch)
        {
            throw new ArgumentException("The top Via needs an RFC 3261 branch (z9hG4bK...).", nameof(request));
        }

        var transaction = new NonInviteClientTransaction(Key(via.Branch!, request.Method), onProvisional);
        lock (_sync)
        {
            if (!_transactions.TryAdd(transaction.Key, transaction))
            {
                throw new InvalidOperationException("A client transaction with this branch and method is already running.");
            }
        }

        var completed = false;
        try
        {
            var bytes = request.ToBytes();
            using var timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                // Timers are armed before each send so that whoever observes a send also sees the next timer armed.
                var timerF = Task.Delay(_timers.TimerF, _time, timers.Token);
                var interval = _timers.T1;
                var timerE = Task.Delay(interval, _time, timers.Token);
                if (!await _send(bytes, destination, cancellationToken))
                {
                    return Synthesise(request, 503, "Service Unavailable");
                }

                while (true)
                {
                    var fired = await Task.WhenAny(transaction.Final.Task, timerE, timerF);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (fired == transaction.Final.Task)
                    {
                        break;
                    }

                    if (fired == timerF)
                    {
                        // RFC 3261 §17.1.2.2: Timer F fired in Trying or Proceeding: inform the TU, terminate.
                        ClientTransactionMetrics.Timeouts.Add(1);
                        return Synthesise(request, 408, "Request Timeout");
                    }

                    // Timer E: doubles up to T2 in Trying; in Proceeding it is reset to T2 (§17.1.2.2).
                    interval = IsProceeding(transaction) ? _timers.T2 : Min(interval * 2, _timers.T2);
                    timerE = Task.Delay(interval, _time, timers.Token);
                    ClientTransactionMetrics.Retransmissions.Add(1);
                    await _send(bytes, destination, cancellationToken);
                }
            }
            finally
            {
                await timers.CancelAsync();
            }

            completed = true;
            _ = WaitTimerKAsync(transaction);
            return await transaction.Final.Task;
        }
        finally
        {
            if (!completed)
            {
                Remove(transaction);
            }
        }
    }

    /// <summary>
    /// Offers a received response to the table. Returns true when it belongs to one of our transactions (delivered,
    /// or absorbed as a retransmission in Completed), false when the caller should handle it.
    /// </summary>
    public bool TryDeliver(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.TopVia?.Branch is not { } branch || response.CSeq is not { } cseq)
        {
            return false;
        }

        NonInviteClientTransaction? transaction;
        var provisional = false;
        lock (_sync)
        {
            if (!_transactions.TryGetValue(Key(branch, cseq.Method), out transaction))
            {
                return false;
            }

            switch (transaction.State)
            {
                case NonInviteClientTransactionState.Trying or NonInviteClientTransactionState.Proceeding when response.IsProvisional:
                    transaction.State = NonInviteClientTransactionState.Proceeding;
                    provisional = true;
                    break;
                case NonInviteClientTransactionState.Trying or NonInviteClientTransactionState.Proceeding:
                    transaction.State = NonInviteClientTransactionState.Completed;
                    transaction.Final.TrySetResult(response);
                    break;
                default:
                    // Completed: a retransmitted final response (or a late provisional) is absorbed (§17.1.2.2).
                    ClientTransactionMetrics.AbsorbedResponses.Add(1);
                    break;
            }
        }

        if (provisional)
        {
            transaction.OnProvisional?.Invoke(response);
        }

        return true;
    }

    private async Task WaitTimerKAsync(NonInviteClientTransaction transaction)
    {
        // Timer K = T4 for unreliable transports (§17.1.2.2); ending early only loses absorption, so no token.
        await Task.Delay(_timers.T4, _time).ConfigureAwait(false);
        Remove(transaction);
    }

    private bool IsProceeding(NonInviteClientTransaction transaction)
    {
        lock (_sync)
        {
            return transaction.State == NonInviteClientTransactionState.Proceeding;
        }
    }

    private void Remove(NonInviteClientTransaction transaction)
    {
        lock (_sync)
        {
            transaction.State = NonInviteClientTransactionState.Terminated;
            _transactions.Remove(transaction.Key);
        }
    }

    /// <summary>A response the transaction layer reports to the TU itself; it carries the request's identifying headers.</summary>
    private static SipResponse Synthesise(SipRequest request, int statusCode, string reason)
    {
        var headers = new SipHeaders(6);
        foreach (var id in (ReadOnlySpan<SipHeaderId>)[SipHeaderId.Via, SipHeaderId.From, SipHeaderId.To, SipHeaderId.CallId, SipHeaderId.CSeq])
        {
            if (request.Headers.GetFirst(id) is { } value)
            {
                headers.Add(id, value);
            }
        }

        return new SipResponse(statusCode, reason, headers);
    }

    private static string Key(string branch, string method) => string.Concat(branch, "|", method);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
