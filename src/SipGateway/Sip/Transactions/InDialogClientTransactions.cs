using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// The non-INVITE client transactions the user agent runs inside its dialogs (BYE, NOTIFY, UPDATE, INFO, REFER) and
/// for CANCEL (RFC 3261 §17.1.2): the request is sent, retransmitted on Timer E (T1 doubling to T2) and given up with
/// 408 on Timer F (64*T1), on the user agent's clock; a final response matched by branch completes it. Its table shares the user agent's lock.
/// </summary>
internal sealed class InDialogClientTransactions
{
    private readonly Dictionary<string, TaskCompletionSource<int>> _pending = new(StringComparer.Ordinal);
    private readonly Lock _sync;
    private readonly Action<byte[], SipEndPoint> _send;
    private readonly TimeSpan _t1;
    private readonly TimeSpan _t2;
    private readonly CancellationToken _stopping;
    private readonly TimeProvider _time;

    public InDialogClientTransactions(Lock sync, Action<byte[], SipEndPoint> send, TimeSpan t1, TimeSpan t2, TimeProvider time, CancellationToken stopping)
    {
        _time = time;
        _sync = sync;
        _send = send;
        _t1 = t1;
        _t2 = t2;
        _stopping = stopping;
    }

    /// <summary>Transactions waiting for their final response. Read under the lock.</summary>
    public int Count => _pending.Count;

    /// <summary>Runs one transaction to its final status: the peer's, or 408 when Timer F fires.</summary>
    /// <exception cref="OperationCanceledException">The caller gave up or the user agent is shutting down.</exception>
    public async Task<int> RunAsync(byte[] bytes, SipEndPoint destination, string branch, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _pending[branch] = completion;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        var started = _time.GetTimestamp();
        var timeout = _t1 * 64;
        var interval = _t1;
        try
        {
            while (true)
            {
                linked.Token.ThrowIfCancellationRequested();
                _send(bytes, destination);
                var delay = Task.Delay(interval, _time, linked.Token);
                if (await Task.WhenAny(completion.Task, delay) == completion.Task)
                {
                    return await completion.Task;
                }

                if (_time.GetElapsedTime(started) >= timeout)
                {
                    return 408;
                }

                interval = interval * 2 < _t2 ? interval * 2 : _t2;
            }
        }
        finally
        {
            lock (_sync)
            {
                _pending.Remove(branch);
            }
        }
    }

    /// <summary>Completes the transaction a final response belongs to (matched by its top Via branch); false when none does.</summary>
    public bool TryComplete(SipResponse response)
    {
        if (response.StatusCode < 200 || response.TopVia?.Branch is not { } branch)
        {
            return false;
        }

        lock (_sync)
        {
            if (_pending.TryGetValue(branch, out var completion))
            {
                completion.TrySetResult(response.StatusCode);
                return true;
            }
        }

        return false;
    }
}
