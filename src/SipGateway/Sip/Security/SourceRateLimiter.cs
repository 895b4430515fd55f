namespace StepAudio.Telephony.SipGateway.Sip.Security;

/// <summary>
/// Token bucket per source address in a table of fixed capacity. When the table is full the least recently seen
/// source is forgotten, so a flood from spoofed addresses costs a bounded amount of memory; it can only push
/// sources out, which then start again with a full bucket. Entries live in preallocated arrays linked into a
/// recency list by index: a decision for a known source is O(1) and allocates nothing.
/// </summary>
public sealed class SourceRateLimiter
{
    private const int None = -1;

    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly double _tokensPerTick;
    private readonly double _burst;
    private readonly Dictionary<SourceAddress, int> _index;
    private readonly SourceAddress[] _keys;
    private readonly double[] _tokens;
    private readonly long[] _refilledAt;
    private readonly int[] _newer;
    private readonly int[] _older;
    private int _count;
    private int _newest = None;
    private int _oldest = None;
    private long _limited;

    public SourceRateLimiter(double requestsPerSecond, int burst, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _tokensPerTick = requestsPerSecond / time.TimestampFrequency;
        _burst = burst;
        _index = new Dictionary<SourceAddress, int>(capacity);
        _keys = new SourceAddress[capacity];
        _tokens = new double[capacity];
        _refilledAt = new long[capacity];
        _newer = new int[capacity];
        _older = new int[capacity];
    }

    /// <summary>Sources currently tracked; never more than the capacity.</summary>
    public int TrackedSources
    {
        get
        {
            lock (_sync)
            {
                return _count;
            }
        }
    }

    /// <summary>Requests refused since start.</summary>
    public long LimitedCount => Interlocked.Read(ref _limited);

    /// <summary>Takes one token from the source's bucket; false when it is empty.</summary>
    public bool TryAcquire(SourceAddress source)
    {
        var now = _time.GetTimestamp();
        lock (_sync)
        {
            if (_index.TryGetValue(source, out var slot))
            {
                Unlink(slot);
                var elapsed = now - _refilledAt[slot];
                _tokens[slot] = Math.Min(_burst, _tokens[slot] + (elapsed * _tokensPerTick));
                _refilledAt[slot] = now;
            }
            else
            {
                slot = _count < _keys.Length ? _count++ : Evict();
                _keys[slot] = source;
                _tokens[slot] = _burst;
                _refilledAt[slot] = now;
                _index.Add(source, slot);
            }

            LinkNewest(slot);
            if (_tokens[slot] >= 1)
            {
                _tokens[slot] -= 1;
                return true;
            }
        }

        Interlocked.Increment(ref _limited);
        return false;
    }

    private int Evict()
    {
        var slot = _oldest;
        Unlink(slot);
        _index.Remove(_keys[slot]);
        return slot;
    }

    private void Unlink(int slot)
    {
        var newer = _newer[slot];
        var older = _older[slot];
        if (newer == None)
        {
            _newest = older;
        }
        else
        {
            _older[newer] = older;
        }

        if (older == None)
        {
            _oldest = newer;
        }
        else
        {
            _newer[older] = newer;
        }
    }

    private void LinkNewest(int slot)
    {
        _newer[slot] = None;
        _older[slot] = _newest;
        if (_newest != None)
        {
            _newer[_newest] = slot;
        }

        _newest = slot;
        if (_oldest == None)
        {
            _oldest = slot;
        }
    }
}
