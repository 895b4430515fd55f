namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Lets one log line through per interval and counts what it held back, so a flood cannot flood the log.</summary>
internal sealed class LogRateLimiter
{
    private readonly long _intervalTicks;
    private readonly TimeProvider _time;
    private long _nextAllowed;
    private long _suppressed;

    /// <param name="interval">At most one line per this interval.</param>
    /// <param name="time">The clock (a test's manual clock); <see cref="TimeProvider.System"/> by default.</param>
    public LogRateLimiter(TimeSpan interval, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _intervalTicks = (long)(interval.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>True when the caller may log now; <paramref name="suppressed"/> is how many were skipped since the last one.</summary>
    public bool TryAcquire(out long suppressed)
    {
        var now = _time.GetTimestamp();
        var next = Interlocked.Read(ref _nextAllowed);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowed, now + _intervalTicks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
