namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>
/// Per-SSRC replay windows of one crypto context (RFC 3711 §3.2.3: the context keeps a ROC and replay list per SSRC).
/// Bounded: a peer that sprays SSRCs evicts the least recently used entry instead of growing the table. Entries are
/// written only for authenticated packets. Not thread-safe; its owner serialises use.
/// </summary>
internal sealed class SrtpStreamTable
{
    /// <summary>A call has one or two SSRCs at a time (a change of source); 8 leaves room without unbounded growth.</summary>
    public const int Capacity = 8;

    private readonly uint[] _ssrcs = new uint[Capacity];
    private readonly SrtpReplayWindow[] _windows = new SrtpReplayWindow[Capacity];
    private readonly long[] _used = new long[Capacity];
    private int _count;
    private long _clock;

    /// <summary>The window of <paramref name="ssrc"/>, or a fresh (not started) one when unknown.</summary>
    public SrtpReplayWindow Get(uint ssrc)
    {
        var slot = Find(ssrc);
        return slot < 0 ? default : _windows[slot];
    }

    /// <summary>Stores the window of <paramref name="ssrc"/> after an authenticated packet.</summary>
    public void Set(uint ssrc, SrtpReplayWindow window)
    {
        var slot = Find(ssrc);
        if (slot < 0)
        {
            slot = _count < Capacity ? _count++ : LeastRecentlyUsed();
            _ssrcs[slot] = ssrc;
        }

        _windows[slot] = window;
        _used[slot] = ++_clock;
    }

    private int Find(uint ssrc)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_ssrcs[i] == ssrc)
            {
                return i;
            }
        }

        return -1;
    }

    private int LeastRecentlyUsed()
    {
        var oldest = 0;
        for (var i = 1; i < _count; i++)
        {
            if (_used[i] < _used[oldest])
            {
                oldest = i;
            }
        }

        return oldest;
    }
}
