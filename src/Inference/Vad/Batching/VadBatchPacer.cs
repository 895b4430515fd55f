using System.Diagnostics;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// Holds an inference thread that has caught up back until <see cref="VadOptions.BatchIntervalMs"/> after its last run
/// began, so that the windows of its other calls join the next batch (see <see cref="VadBatchWorker"/>, "Why the
/// interval"). Only the worker's own thread calls <see cref="RunStarting"/> and <see cref="WaitForInterval"/>.
/// </summary>
internal sealed class VadBatchPacer : IDisposable
{
    private readonly long _intervalTicks;
    private readonly double _caughtUpLagMs;
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    // Never ran: as if long ago (a monotonic clock may read less than the interval soon after boot).
    private long _lastRunStarted = long.MinValue / 2;
    private volatile bool _waiting;

    /// <param name="interval"><see cref="VadOptions.BatchIntervalMs"/>.</param>
    /// <param name="caughtUpLagMs">Below this backlog (the oldest window of the last run) a thread has caught up.</param>
    public VadBatchPacer(TimeSpan interval, double caughtUpLagMs = 0)
    {
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _caughtUpLagMs = caughtUpLagMs;
    }

    /// <summary>Whether the thread is holding a run back now (tests observe it).</summary>
    public bool IsWaiting => _waiting;

    /// <summary>Notes that a run begins now.</summary>
    public void RunStarting() => _lastRunStarted = Stopwatch.GetTimestamp();

    /// <summary>After an idle wait ended by a new window: lets the interval since the last run pass first.</summary>
    public void WaitForInterval()
    {
        if (_intervalTicks <= 0 || _stop.IsSet)
        {
            return;
        }

        var remaining = _lastRunStarted + _intervalTicks - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            _waiting = true;
            _stop.Wait(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            _waiting = false;
        }
    }

    /// <summary>
    /// Whether a run whose oldest window was <paramref name="lagMs"/> old found the thread caught up: then the next run
    /// waits for the interval too (see <see cref="VadBatchWorker"/>, "Why the interval"); a thread that is behind runs
    /// again at once.
    /// </summary>
    public bool IsCaughtUp(double lagMs) => lagMs < _caughtUpLagMs;

    /// <summary>Ends any wait at once, and every later one (the worker is stopping).</summary>
    public void Stop() => _stop.Set();

    public void Dispose() => _stop.Dispose();
}
