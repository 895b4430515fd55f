using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>
/// The final responses of the user agent's non-INVITE server transactions, kept for Timer J (64*T1) so that a
/// retransmitted request gets the same response again (RFC 3261 §17.2.2). Every member is called under the user
/// agent's lock.
/// </summary>
internal sealed class NonInviteResponseCache
{
    private readonly Dictionary<string, Entry> _responses = new(StringComparer.Ordinal);

    public int Count => _responses.Count;

    public bool TryGet(string key, out byte[] bytes, out SipEndPoint destination)
    {
        if (_responses.TryGetValue(key, out var entry))
        {
            (bytes, destination) = (entry.Bytes, entry.Destination);
            return true;
        }

        (bytes, destination) = ([], default);
        return false;
    }

    /// <summary>Keeps <paramref name="bytes"/> for <paramref name="key"/> until the Stopwatch timestamp <paramref name="expiresAt"/>.</summary>
    public void Store(string key, byte[] bytes, SipEndPoint destination, long expiresAt) =>
        _responses[key] = new Entry(bytes, destination, expiresAt);

    /// <summary>Forgets the responses whose Timer J ran out by <paramref name="now"/>.</summary>
    public void Sweep(long now)
    {
        foreach (var (key, entry) in _responses)
        {
            if (now >= entry.ExpiresAt)
            {
                _responses.Remove(key);
            }
        }
    }

    private readonly record struct Entry(byte[] Bytes, SipEndPoint Destination, long ExpiresAt);
}
