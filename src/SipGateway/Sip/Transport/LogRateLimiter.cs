namespace StepAudio.Telephony.SipGateway.Sip.Transport;

/// <summary>Lets one log line through per interval and counts what it held back, so a flood cannot flood the log.</summary>
internal sealed class LogRateLimiter
{
    private readonly long _intervalTicks;
    private long _nextAllowed;
    private long _suppressed;

    public LogRateLimiter(TimeSpan interval)
    {
        _intervalTicks = (long)(interval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>True when the caller may log now; <paramref name="suppressed"/> is how many were skipped since the last one.</summary>
    public bool TryAcquire(out long suppressed)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
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
