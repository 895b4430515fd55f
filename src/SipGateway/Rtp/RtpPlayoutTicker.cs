namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// One timer for the playout of many sessions: every <see cref="Period"/> it asks each registered session to release
/// the frames that are due. Packet arrival already drains the buffer; the ticker only matters when packets stop
/// (the end of a talkspurt, comfort noise, a gap), so 10 ms granularity is enough and costs one wake-up per tick for
/// the whole process instead of one per call. The timer runs only while a session is registered.
/// </summary>
public sealed class RtpPlayoutTicker : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private IRtpPlayoutClient[] _clients = [];
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
            _clients = [];
            _timer?.Dispose();
            _timer = null;
        }
    }

    internal void Register(IRtpPlayoutClient client)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _clients = [.. _clients, client];

            // One-shot, re-armed after each tick: a slow tick never overlaps the next one.
            _timer ??= _timeProvider.CreateTimer(static state => ((RtpPlayoutTicker)state!).Tick(), this, Period, Timeout.InfiniteTimeSpan);
        }
    }

    internal void Unregister(IRtpPlayoutClient client)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_clients, client);
            if (index < 0)
            {
                return;
            }

            _clients = [.. _clients.AsSpan(0, index), .. _clients.AsSpan(index + 1)];
            if (_clients.Length == 0)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }

    private void Tick()
    {
        // Copy-on-write array: the tick reads a snapshot without holding the lock while sessions run.
        try
        {
            foreach (var client in Volatile.Read(ref _clients))
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
