using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// The user agent's non-INVITE server transactions once answered: the final response is sent and kept for Timer J
/// (64*T1) so that a retransmitted request gets the same response again (RFC 3261 §17.2.2). It shares the user
/// agent's lock and runs on its clock.
/// </summary>
internal sealed class NonInviteResponseCache
{
    private readonly Dictionary<string, Entry> _responses = new(StringComparer.Ordinal);
    private readonly Lock _sync;
    private readonly Action<byte[], SipEndPoint> _send;
    private readonly long _timerJTicks;
    private readonly TimeProvider _time;

    public NonInviteResponseCache(Lock sync, Action<byte[], SipEndPoint> send, TimeSpan timerJ, TimeProvider time)
    {
        _sync = sync;
        _send = send;
        _time = time;
        _timerJTicks = (long)(timerJ.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Responses kept. Under the lock.</summary>
    public int Count => _responses.Count;

    /// <summary>The key of a non-INVITE request's transaction: its method and <see cref="ServerTransactionKey"/>.</summary>
    public static string KeyOf(SipRequest request) => request.Method + "|" + ServerTransactionKey.Of(request);

    /// <summary>Sends the response kept for <paramref name="key"/> again; false when there is none (a new request).</summary>
    public bool TryResend(string key)
    {
        Entry entry;
        lock (_sync)
        {
            if (!_responses.TryGetValue(key, out entry))
            {
                return false;
            }
        }

        _send(entry.Bytes, entry.Destination);
        return true;
    }

    /// <summary>Sends the final response of a non-INVITE request and keeps it for retransmissions (Timer J).</summary>
    public void Respond(SipResponse response, string key, SipEndPoint destination)
    {
        var bytes = response.ToBytes();
        lock (_sync)
        {
            _responses[key] = new Entry(bytes, destination, _time.GetTimestamp() + _timerJTicks);
        }

        _send(bytes, destination);
    }

    /// <summary>Forgets the responses whose Timer J ran out.</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        lock (_sync)
        {
            foreach (var (key, entry) in _responses)
            {
                if (now >= entry.ExpiresAt)
                {
                    _responses.Remove(key);
                }
            }
        }
    }

    private readonly record struct Entry(byte[] Bytes, SipEndPoint Destination, long ExpiresAt);
}
