using System.Threading.Tasks.Sources;

namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// One sender's reusable wait on the <see cref="MediaClock"/>: <see cref="WaitUntilAsync"/> returns a
/// <see cref="ValueTask"/> backed by this object, so a paced stream allocates nothing per frame. The continuation
/// runs on the clock thread (see <see cref="MediaClock"/> for what that asks of it). One wait at a time.
/// </summary>
/// <remarks>
/// A wait is not cancellable: cancellation is checked when it completes, at most one frame (20 ms) later, which is
/// the same bound barge-in promises, and saves a token registration per frame.
/// </remarks>
public sealed class MediaClockWaiter : MediaClockEntry, IValueTaskSource
{
    private readonly MediaClock _clock;
    private ManualResetValueTaskSourceCore<bool> _core;

    internal MediaClockWaiter(MediaClock clock)
    {
        _clock = clock;

        // Inline continuations: the sender's next frame goes out on the clock thread, without a thread-pool hop.
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>Completes at <paramref name="dueTimestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value of the clock).</summary>
    public ValueTask WaitUntilAsync(long dueTimestamp)
    {
        _core.Reset();
        _clock.Schedule(this, _core.Version, dueTimestamp);
        return new ValueTask(this, _core.Version);
    }

    /// <inheritdoc />
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc />
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    internal override void Fire(long generation)
    {
        if (generation == _core.Version)
        {
            _core.SetResult(true);
        }
    }
}
