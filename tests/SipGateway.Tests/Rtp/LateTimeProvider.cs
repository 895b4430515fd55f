namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>A <see cref="ManualTimeProvider"/> whose timers all fire a fixed time after they were due.</summary>
internal sealed class LateTimeProvider(ManualTimeProvider inner, TimeSpan lateness) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime + lateness, period);
}
