namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// One timer for the playout of many sessions: every <see cref="Period"/> it asks each registered session to release
/// the frames that are due. Packet arrival already drains the buffer; the ticker only matters when packets stop
/// (the end of a talkspurt, comfort noise, a gap), so 10 ms granularity is enough and costs one wake-up per tick for
/// the whole process instead of one per call. The timer runs only while a session is registered.
/// </summary>
/// <remarks>
/// Joining and leaving only queue the change (O(1) under the lock); the tick applies the queue before it runs the
/// sessions. A copy-on-write array here made each call set-up and each hang-up copy every registered session under
/// the lock, which at a thousand calls a second was a contended lock and megabytes of garbage a second (issue 16).
/// As before, a session may get one last tick after it leaves.
/// </remarks>
public sealed class RtpPlayoutTicker : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly List<IRtpPlayoutClient> _clients = []; // only the tick touches it
    private readonly List<IRtpPlayoutClient> _joining = [];
    private readonly HashSet<IRtpPlayoutClient> _leaving = new(ReferenceEqualityComparer.Instance);
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates a ticker on the given clock.</summary>
    public RtpPlayoutTicker(TimeProvider timeProvider, TimeSpan? period = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Period = period ?? TimeSpan.FromMilliseconds(10);
    }

    /// <summary>The process-wide ticker on the system clock.</summary>
    public static RtpPlayoutTicker Shared { get; } = new(TimeProvider.System);

    /// <summary>Time between ticks.</summary>
    public TimeSpan Period { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _joining.Clear();
            _leaving.Clear();
            _timer?.Dispose();
            _timer = null;
        }
    }

    internal void Register(IRtpPlayoutClient client)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _joining.Add(client);

            // One-shot, re-armed after each tick: a slow tick never overlaps the next one.
            _timer ??= _timeProvider.CreateTimer(static state => ((RtpPlayoutTicker)state!).Tick(), this, Period, Timeout.InfiniteTimeSpan);
        }
    }

    internal void Unregister(IRtpPlayoutClient client)
    {
        lock (_gate)
        {
            // A session that leaves before its first tick never joins.
            if (!_joining.Remove(client))
            {
                _leaving.Add(client);
            }
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_leaving.Count > 0)
            {
                _clients.RemoveAll(_leaving.Contains);
                _leaving.Clear();
            }

            _clients.AddRange(_joining);
            _joining.Clear();
            if (_clients.Count == 0)
            {
                // Re-created by the next Register (under this lock, so none can be missed).
                _timer?.Dispose();
                _timer = null;
                return;
            }
        }

        // Only this tick reads or changes _clients (the one-shot timer is re-armed after it), so the sessions run
        // without the lock held.
        try
        {
            foreach (var client in _clients)
            {
                try
                {
                    client.OnPlayoutTick();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Clients catch their own failures; this only keeps one bug from stopping every call's playout.
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _timer?.Change(Period, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
