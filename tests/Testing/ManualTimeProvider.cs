namespace StepAudio.Telephony.Testing;

/// <summary>A clock that only moves when the test says so; fires one-shot timers created through it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private long _nowTicks;

    /// <summary>A clock at the Unix epoch.</summary>
    public ManualTimeProvider()
    {
    }

    /// <summary>A clock whose <see cref="GetUtcNow"/> starts at <paramref name="start"/> (the stopwatch counts from there too).</summary>
    public ManualTimeProvider(DateTimeOffset start)
    {
        _nowTicks = (start - DateTimeOffset.UnixEpoch).Ticks;
    }

    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _nowTicks));

    /// <summary>
    /// Timers armed and not yet fired: code that re-arms its timer on another thread after doing its work can be
    /// waited for with this before the next <see cref="Advance"/>, which would otherwise arm it late.
    /// </summary>
    public int ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueTicks.HasValue);
            }
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _nowTicks);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _nowTicks, by.Ticks);
        FireDue();
    }

    /// <summary>Moves the clock to the earliest armed timer and fires it; false when none is armed.</summary>
    public bool TryAdvanceToNextTimer()
    {
        lock (_gate)
        {
            var next = _timers.Where(t => t.DueTicks.HasValue).Select(t => t.DueTicks!.Value).DefaultIfEmpty(-1).Min();
            if (next < 0)
            {
                return false;
            }

            Interlocked.Exchange(ref _nowTicks, Math.Max(next, _nowTicks));
        }

        FireDue();
        return true;
    }

    private void FireDue()
    {
        List<Timer> due;
        lock (_gate)
        {
            due = _timers.Where(t => t.DueTicks <= _nowTicks).ToList();
            foreach (var timer in due)
            {
                timer.DueTicks = null;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class Timer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueTicks { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
            {
                throw new NotSupportedException("Only one-shot timers are simulated.");
            }

            lock (owner._gate)
            {
                owner._timers.Remove(this);
                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : owner._nowTicks + dueTime.Ticks;
                owner._timers.Add(this);
            }

            if (dueTime == TimeSpan.Zero)
            {
                owner.FireDue();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
