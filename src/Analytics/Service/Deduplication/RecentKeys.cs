namespace StepAudio.Telephony.Analytics.Service.Deduplication;

/// <summary>
/// The keys seen recently, each with a value, bounded both in count and in age, whichever bound is hit first.
/// Broker redelivery (a consumer crash before ack, a publisher retry after a lost confirm) happens within seconds
/// to hours, so a bounded memory drops duplicates without growing forever. Not thread-safe: the owner locks.
/// </summary>
/// <typeparam name="TKey">The identity of what was seen.</typeparam>
/// <typeparam name="TValue">What is remembered about it.</typeparam>
internal sealed class RecentKeys<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _seen = [];
    private readonly Queue<(TKey Key, DateTimeOffset At)> _order = new();
    private readonly int _capacity;
    private readonly TimeSpan _window;

    public RecentKeys(int capacity, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _capacity = capacity;
        _window = window;
    }

    public int Count => _seen.Count;

    /// <summary>What is remembered about <paramref name="key"/>, if it has not expired by <paramref name="now"/>.</summary>
    public bool TryGetValue(TKey key, DateTimeOffset now, out TValue value)
    {
        Expire(now);
        return _seen.TryGetValue(key, out value!);
    }

    /// <summary>Remembers <paramref name="key"/>; false when it was already remembered (a duplicate).</summary>
    public bool TryAdd(TKey key, TValue value, DateTimeOffset now)
    {
        Expire(now);
        if (!_seen.TryAdd(key, value))
        {
            return false;
        }

        _order.Enqueue((key, now));
        while (_seen.Count > _capacity)
        {
            _seen.Remove(_order.Dequeue().Key);
        }

        return true;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && now - oldest.At >= _window)
        {
            _order.Dequeue();
            _seen.Remove(oldest.Key);
        }
    }
}
