using System.Security.Cryptography;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Sip.Provisional;

/// <summary>
/// Sends the reliable provisional responses of one INVITE server transaction (RFC 3262 §3): each gets
/// <c>Require: 100rel</c> and an RSeq one higher than the last, is retransmitted at T1, 2*T1, 4*T1, … (doubling without
/// the T2 cap, end to end like a 2xx) until a PRACK acknowledges it, and is given up after 64*T1. Only one is outstanding
/// at a time: a second must wait until the first is acknowledged. Its own lock; callbacks run outside it.
/// </summary>
internal sealed class ReliableProvisionalSender : IDisposable
{
    private readonly Lock _sync = new();
    private readonly TimeSpan _t1;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Action<byte[]> _send;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<ReliableOutcome>? _outstanding;
    private uint _nextRSeq;
    private uint? _outstandingRSeq;
    private bool _stopped;

    /// <param name="t1">RFC 3261 T1: the first retransmission interval; 64*T1 bounds the wait for PRACK.</param>
    /// <param name="time">Clock of the retransmission timers.</param>
    /// <param name="send">Puts the response on the wire (the transaction's transport); must not block.</param>
    /// <param name="firstRSeq">RSeq of the first response; <see cref="NewFirstRSeq"/> picks one as §3 asks.</param>
    public ReliableProvisionalSender(TimeSpan t1, TimeProvider time, Action<byte[]> send, uint firstRSeq)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t1, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfZero(firstRSeq);
        _t1 = t1;
        _timeout = t1 * 64;
        _time = time;
        _send = send;
        _nextRSeq = firstRSeq;
    }

    /// <summary>RFC 3262 §3: the first RSeq is chosen at random between 1 and 2**31 - 1.</summary>
    public static uint NewFirstRSeq() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    /// <summary>The RSeq awaiting its PRACK, or null when none is outstanding.</summary>
    public uint? OutstandingRSeq
    {
        get
        {
            lock (_sync)
            {
                return _outstandingRSeq;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="response"/> reliably; the returned task says how it ended (acknowledged, timed out after
    /// 64*T1, or stopped). Null when another reliable provisional response is still outstanding (§3) or the sender was
    /// stopped: nothing is sent then.
    /// </summary>
    public Task<ReliableOutcome>? TrySend(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        byte[] bytes;
        TaskCompletionSource<ReliableOutcome> outcome;
        lock (_sync)
        {
            if (_stopped || _outstanding is not null)
            {
                return null;
            }

            var rseq = _nextRSeq;

            // §3: each later reliable provisional response carries the previous RSeq plus one.
            _nextRSeq = rseq == uint.MaxValue ? 1 : rseq + 1;
            response.Headers.RemoveAll(SipHeaderId.RSeq);
            response.Headers.Add(SipHeaderId.Require, SipExtensions.Reliable);
            response.Headers.Add(SipHeaderId.RSeq, RSeqHeader.Format(rseq));
            bytes = response.ToBytes();
            outcome = new TaskCompletionSource<ReliableOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _outstanding = outcome;
            _outstandingRSeq = rseq;
        }

        _send(bytes);
        _ = RetransmitAsync(bytes, outcome);
        return outcome.Task;
    }

    /// <summary>
    /// A PRACK's RAck named <paramref name="rseq"/> (CSeq and method already checked by the caller): true when it
    /// acknowledges the outstanding response, which stops its retransmission. False means no match: 481 (§3).
    /// </summary>
    public bool TryAcknowledge(uint rseq)
    {
        TaskCompletionSource<ReliableOutcome>? acknowledged;
        lock (_sync)
        {
            if (_outstandingRSeq != rseq)
            {
                return false;
            }

            acknowledged = _outstanding;
            _outstanding = null;
            _outstandingRSeq = null;
        }

        acknowledged?.TrySetResult(ReliableOutcome.Acknowledged);
        return true;
    }

    /// <summary>
    /// Waits until no reliable provisional response is outstanding (§3: the final 2xx waits for the PRACK of the last
    /// one): Acknowledged at once when none is.
    /// </summary>
    public Task<ReliableOutcome> WhenSettledAsync()
    {
        lock (_sync)
        {
            return _outstanding?.Task ?? Task.FromResult(ReliableOutcome.Acknowledged);
        }
    }

    /// <summary>The transaction ended: stops retransmitting; an outstanding response ends as <see cref="ReliableOutcome.Stopped"/>.</summary>
    public void Stop()
    {
        TaskCompletionSource<ReliableOutcome>? outstanding;
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            outstanding = _outstanding;
            _outstanding = null;
            _outstandingRSeq = null;
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        outstanding?.TrySetResult(ReliableOutcome.Stopped);
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private async Task RetransmitAsync(byte[] bytes, TaskCompletionSource<ReliableOutcome> outcome)
    {
        var started = _time.GetTimestamp();
        var interval = _t1;
        try
        {
            while (true)
            {
                // The last wait ends at 64*T1 exactly; judged by the wait, not the clock, which a timer may undershoot.
                var remaining = _timeout - _time.GetElapsedTime(started);
                var last = remaining <= interval;
                await Task.WhenAny(outcome.Task, Task.Delay(last ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : interval, _time, _stop.Token)).ConfigureAwait(false);
                if (outcome.Task.IsCompleted)
                {
                    return;
                }

                _stop.Token.ThrowIfCancellationRequested();
                if (last)
                {
                    break;
                }

                _send(bytes);
                interval *= 2;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        // §3: no PRACK for 64*T1. The response is no longer outstanding, so a late PRACK gets 481.
        lock (_sync)
        {
            if (_outstanding != outcome)
            {
                return;
            }

            _outstanding = null;
            _outstandingRSeq = null;
            _stopped = true;
        }

        outcome.TrySetResult(ReliableOutcome.TimedOut);
    }
}
