namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// The send schedule of one talkspurt: frame n is due at start + n × 20 ms. Deadlines are absolute, so a timer that
/// fires late delays only its own frame and never shifts the ones after it (no drift over a long call).
/// </summary>
/// <remarks>Used by one sending loop at a time; not thread-safe.</remarks>
public sealed class FramePacer
{
    private readonly TimeProvider _time;
    private readonly MediaClockWaiter? _waiter;
    private long _start;
    private long _next;
    private TimeSpan _shift;

    /// <summary>Creates a pacer; <see cref="Restart"/> starts its schedule.</summary>
    public FramePacer(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);

        // The system clock's timers are too coarse to pace RTP (see MediaClock); a test's fake clock is kept as is.
        _time = time == TimeProvider.System ? MediaClock.Shared : time;
        _waiter = (_time as MediaClock)?.CreateWaiter();
    }

    /// <summary>Frames waited for since the last <see cref="Restart"/>.</summary>
    public long FramesPaced => _next;

    /// <summary>Starts a new schedule now: the next frame is due at once.</summary>
    public void Restart()
    {
        _start = _time.GetTimestamp();
        _next = 0;
        _shift = TimeSpan.Zero;
    }

    /// <summary>Waits until the next frame is due.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var deadline = (RtpAudioPlayer.FrameDuration * _next) + _shift;
        var elapsed = _time.GetElapsedTime(_start);
        if (deadline > elapsed)
        {
            if (_waiter is not null)
            {
                // Allocation-free on the media clock; cancellation is seen when the wait ends (≤ one frame).
                await _waiter.WaitUntilAsync(_start + (long)(deadline.TotalSeconds * _time.TimestampFrequency));
            }
            else
            {
                await Task.Delay(deadline - elapsed, _time, cancellationToken);
            }
        }
        else if (elapsed - deadline > RtpAudioPlayer.MaxLag)
        {
            // A stalled thread: move the schedule rather than burst the backlog into the far end's jitter buffer.
            _shift += elapsed - deadline;
        }

        cancellationToken.ThrowIfCancellationRequested();
        _next++;
    }
}
