using System.Diagnostics;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// A <see cref="TimeProvider"/> whose timers fire on one dedicated thread with sub-millisecond precision, for pacing
/// outgoing RTP. .NET's own timers run on a coarse clock on Linux (CLOCK_MONOTONIC_COARSE, one kernel tick of
/// 4–10 ms), so a stream paced with them leaves 0–10 ms late; measured with scripts/media-load.sh, that is the whole
/// difference between failing and meeting a 5 ms lateness bound. Timestamps are <see cref="Stopwatch"/>'s.
/// </summary>
/// <remarks>
/// Callbacks run on the clock thread, and so do continuations of a <c>Task.Delay</c> on this provider, so a frame is
/// sent without a thread-pool hop, however busy the pool is with analysis. Anything that awaits this clock must
/// therefore do only a frame's worth of work before it awaits again; a callback that throws is counted and ignored
/// so one faulty call cannot stop every call's audio.
/// </remarks>
public sealed class MediaClock : TimeProvider, IDisposable
{
    private readonly object _gate = new(); // Monitor, not Lock: the clock thread sleeps with Monitor.Wait.
    private readonly PriorityQueue<(MediaClockEntry Entry, long Generation), long> _due = new();
    private readonly Thread _thread;
    private bool _disposed;
    private long _callbackFailures;
    private volatile bool _realTime;

    /// <summary>Starts the clock thread.</summary>
    public MediaClock()
    {
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "RTP media clock",
            Priority = ThreadPriority.AboveNormal,
        };
        using var started = new ManualResetEventSlim();
        _thread.Start(started);

        // IsRealTime must be settled before anyone reads it (the gateway logs it at start-up).
        started.Wait();
    }

    /// <summary>The process-wide clock used to pace RTP when the system clock is in use.</summary>
    public static MediaClock Shared { get; } = new();

    /// <summary>
    /// Whether the clock thread runs under the real-time scheduler (see <see cref="RealTimeScheduling"/>); without
    /// it, pacing holds under light load but a busy core can delay frames by a scheduler slice.
    /// </summary>
    public bool IsRealTime => _realTime;

    /// <summary>Callbacks that threw; each is also a frame some call did not send on time.</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// A reusable wait for one sender: awaiting it allocates nothing, so pacing hundreds of streams adds no
    /// garbage (and no collections) per frame, which <c>Task.Delay</c> would.
    /// </summary>
    public MediaClockWaiter CreateWaiter() => new(this);

    /// <summary>Stops the clock thread; timers that have not fired never will.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    internal void Schedule(MediaClockEntry entry, long generation, long dueTimestamp)
    {
        lock (_gate)
        {
            _due.Enqueue((entry, generation), dueTimestamp);
            if (_due.Peek().Entry == entry)
            {
                // The new timer is the earliest: the clock thread may be sleeping towards a later one.
                Monitor.Pulse(_gate);
            }
        }
    }

    private void Run(object? started)
    {
        _realTime = RealTimeScheduling.TryEnableForCurrentThread(priority: 10);
        ((ManualResetEventSlim)started!).Set();
        while (true)
        {
            (MediaClockEntry Entry, long Generation) fire;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                if (!_due.TryPeek(out var next, out long dueTimestamp))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                long remaining = dueTimestamp - GetTimestamp();
                if (remaining > 0)
                {
                    // Monitor.Wait's timeout is precise (it does not use the coarse tick); rounding up to a whole
                    // millisecond bounds lateness at about 1 ms without spinning a core.
                    Monitor.Wait(_gate, (int)Math.Max(1, ((remaining * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                    continue;
                }

                fire = _due.Dequeue();
            }

            try
            {
                fire.Entry.Fire(fire.Generation);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _callbackFailures);
            }
        }
    }

    /// <summary>One timer; <see cref="Change"/> bumps a generation so entries already queued for it go stale.</summary>
    private sealed class ClockTimer(MediaClock clock, TimerCallback callback, object? state) : MediaClockEntry, ITimer
    {
        private readonly Lock _gate = new();
        private long _generation;
        private long _periodTicks;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            long generation;
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                generation = ++_generation;
                _periodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : ToStopwatchTicks(period);
            }

            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                clock.Schedule(this, generation, clock.GetTimestamp() + ToStopwatchTicks(dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime));
            }

            return true;
        }

        internal override void Fire(long generation)
        {
            lock (_gate)
            {
                if (_disposed || generation != _generation)
                {
                    return;
                }

                if (_periodTicks > 0)
                {
                    clock.Schedule(this, generation, clock.GetTimestamp() + _periodTicks);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _generation++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private static long ToStopwatchTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    }
}
