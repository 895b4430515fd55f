namespace StepAudio.Telephony.Analytics.Outbox;

/// <summary>
/// Decides when <see cref="DiskCallEventQueue"/> tells the operator it is filling up: above
/// <see cref="OutboxOptions.WarnAtRatio"/>, at most once a minute, with how long it has not been drained.
/// Not thread-safe: called under the queue's lock.
/// </summary>
internal sealed class OutboxFillWarning
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private long _lastWarningTimestamp;
    private bool _warnedOnce;
    private DateTimeOffset _lastDrainedAt;

    public OutboxFillWarning(OutboxOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _lastDrainedAt = time.GetUtcNow();
    }

    /// <summary>Notes that the outbox has just been emptied.</summary>
    public void Drained() => _lastDrainedAt = _time.GetUtcNow();

    /// <summary>
    /// Called after each append attempt, refused ones included. When a warning is due, returns how long since the
    /// outbox was last empty (the backlog the warning reports); otherwise null.
    /// </summary>
    public TimeSpan? Due(long heldBytes)
    {
        if ((double)heldBytes / _options.MaxBytes < _options.WarnAtRatio)
        {
            return null;
        }

        var now = _time.GetTimestamp();
        if (_warnedOnce && _time.GetElapsedTime(_lastWarningTimestamp, now) < Interval)
        {
            return null;
        }

        _warnedOnce = true;
        _lastWarningTimestamp = now;
        return _time.GetUtcNow() - _lastDrainedAt;
    }
}
