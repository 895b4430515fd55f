using System.Diagnostics.CodeAnalysis;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// The user agent's INVITE server transactions (RFC 3261 §17.2.1), initial INVITEs and re-INVITEs alike, keyed by
/// <see cref="ServerTransactionKey"/>: it answers retransmitted INVITEs with the last response, retransmits a final
/// response until its ACK (Timer G, and §13.3.1.4 for a 2xx), gives up at 64*T1 (Timer H), absorbs late ACKs for
/// Timer I and forgets finished transactions. Timers run on the given <see cref="TimeProvider"/>. The table shares the
/// user agent's lock: members documented "under the lock" expect it held; the others take it.
/// </summary>
internal sealed class InviteServerTransactionTable
{
    private readonly Dictionary<string, InviteServerTransaction> _transactions = new(StringComparer.Ordinal);
    private readonly Lock _sync;
    private readonly Action<byte[], SipEndPoint> _send;
    private readonly TimeSpan _t1;
    private readonly TimeSpan _t2;
    private readonly TimeSpan _t4;
    private readonly TimeProvider _time;

    public InviteServerTransactionTable(Lock sync, Action<byte[], SipEndPoint> send, TimeSpan t1, TimeSpan t2, TimeSpan t4, TimeProvider time)
    {
        _sync = sync;
        _send = send;
        _t1 = t1;
        _t2 = t2;
        _t4 = t4;
        _time = time;
    }

    /// <summary>64*T1: Timer H, and how long a terminated transaction keeps absorbing retransmissions.</summary>
    public TimeSpan Timeout => _t1 * 64;

    /// <summary>Transactions in the table. Under the lock.</summary>
    public int Count => _transactions.Count;

    /// <summary>Under the lock.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out InviteServerTransaction? transaction) =>
        _transactions.TryGetValue(key, out transaction);

    /// <summary>Adds a new transaction; false when its key is already taken (a retransmission raced it). Under the lock.</summary>
    public bool TryAdd(InviteServerTransaction transaction) => _transactions.TryAdd(transaction.Key, transaction);

    /// <summary>Puts a transaction in the table, replacing one with the same key. Under the lock.</summary>
    public void Put(InviteServerTransaction transaction) => _transactions[transaction.Key] = transaction;

    /// <summary>Every transaction in the table (shutdown). Under the lock.</summary>
    public List<InviteServerTransaction> Snapshot() => [.. _transactions.Values];

    /// <summary>
    /// RFC 3261 §17.2.1: a retransmitted INVITE gets the most recent response again, except in Confirmed, where the
    /// client has seen our final response and its retransmissions are absorbed. False when no transaction has the key.
    /// </summary>
    public bool TryAbsorbRetransmission(string key)
    {
        byte[]? last = null;
        SipEndPoint destination;
        lock (_sync)
        {
            if (!_transactions.TryGetValue(key, out var existing))
            {
                return false;
            }

            destination = existing.ResponseDestination;
            if (existing.State != InviteTransactionState.Confirmed)
            {
                last = existing.LastResponse;
            }
        }

        if (last is not null)
        {
            _send(last, destination);
        }

        return true;
    }

    /// <summary>
    /// An ACK for the non-2xx final of the transaction <paramref name="key"/> names: Completed moves to Confirmed,
    /// which absorbs further ACKs and INVITEs for Timer I (T4 over UDP, zero over TCP), and the retransmissions stop.
    /// Null when no transaction in Completed has the key. Under the lock; the caller stops the retransmissions.
    /// </summary>
    public InviteServerTransaction? TryConfirm(string key)
    {
        if (!_transactions.TryGetValue(key, out var transaction) || transaction.State != InviteTransactionState.Completed)
        {
            return null;
        }

        transaction.State = InviteTransactionState.Confirmed;
        transaction.ExpiresAt = _time.GetTimestamp() + Ticks(transaction.ResponseDestination.Protocol == SipTransportProtocol.Udp ? _t4 : TimeSpan.Zero);
        return transaction;
    }

    /// <summary>Moves to Terminated, absorbing retransmissions for another 64*T1 before it is forgotten. Under the lock.</summary>
    public void Terminate(InviteServerTransaction transaction)
    {
        transaction.State = InviteTransactionState.Terminated;
        transaction.ExpiresAt = _time.GetTimestamp() + Ticks(Timeout);
    }

    /// <summary>
    /// Retransmits the final response at T1, 2*T1, ... capped at T2 until its ACK stops it (RFC 3261 §13.3.1.4 for a
    /// 2xx, Timer G for others) or 64*T1 passes (Timer H), when the transaction is terminated. Timer G runs only on
    /// unreliable transports, so over TCP a non-2xx final just waits for the ACK until Timer H; a 2xx is retransmitted
    /// on every transport because it is end-to-end (§13.3.1.4). True when 64*T1 passed with a 2xx unacknowledged: the
    /// dialog it set up should then be ended (§13.3.1.4).
    /// </summary>
    public async Task<bool> RetransmitFinalAsync(InviteServerTransaction transaction)
    {
        var started = _time.GetTimestamp();
        var interval = transaction.ResponseDestination.Protocol != SipTransportProtocol.Udp && transaction.State == InviteTransactionState.Completed
            ? Timeout
            : _t1;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, transaction.RetransmissionStop.Token).ConfigureAwait(false);
                if (_time.GetElapsedTime(started) >= Timeout)
                {
                    break;
                }

                byte[]? bytes;
                lock (_sync)
                {
                    bytes = transaction.State is InviteTransactionState.Accepted or InviteTransactionState.Completed ? transaction.LastResponse : null;
                }

                if (bytes is null)
                {
                    return false;
                }

                _send(bytes, transaction.ResponseDestination);
                interval = interval * 2 < _t2 ? interval * 2 : _t2;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        lock (_sync)
        {
            var unacknowledged = transaction.State == InviteTransactionState.Accepted;
            Terminate(transaction);
            return unacknowledged;
        }
    }

    /// <summary>Forgets the Terminated and Confirmed transactions whose absorb window has passed.</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        List<InviteServerTransaction>? dropped = null;
        lock (_sync)
        {
            foreach (var (key, transaction) in _transactions)
            {
                if (transaction.State is InviteTransactionState.Terminated or InviteTransactionState.Confirmed && now >= transaction.ExpiresAt)
                {
                    _transactions.Remove(key);
                    (dropped ??= []).Add(transaction);
                }
            }
        }

        foreach (var transaction in dropped ?? [])
        {
            transaction.HandlerCancellation.Dispose();
            transaction.RetransmissionStop.Dispose();
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
