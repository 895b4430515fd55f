namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// Waits on a <see cref="TimeProvider"/>: a condition is checked again whenever <see cref="Wake"/> is called (the engine
/// calls it after every input, analysis result and finished prompt), and the timeout is a timer of the given clock,
/// so tests drive it with a fake clock instead of sleeping.
/// </summary>
public sealed class RealTimeCallClock(TimeProvider time) : ICallClock
{
    private TaskCompletionSource _pulse = NewPulse();

    /// <inheritdoc />
    public async ValueTask<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var started = time.GetTimestamp();
        while (true)
        {
            // Take the pulse before checking: a Wake between the check and the wait then completes this pulse.
            var pulse = Volatile.Read(ref _pulse).Task;
            if (condition())
            {
                return true;
            }

            var remaining = infinite ? Timeout.InfiniteTimeSpan : timeout - time.GetElapsedTime(started);
            if (!infinite && remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await pulse.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return condition();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> WaitForAsync(Task work, TimeSpan timeout, Task giveUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(giveUp);
        if (work.IsCompleted || timeout <= TimeSpan.Zero)
        {
            return work.IsCompleted;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timer.Token);
        await Task.WhenAny(work, delay, giveUp).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return work.IsCompleted;
    }

    /// <inheritdoc />
    public void Wake() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
