using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// One inference thread of a <see cref="VadBatchScheduler"/>: owns a share of the streams and a runner, and loops
/// gather → run → hand back. While windows are pending a run follows the last at once (under load the windows that
/// arrive during one run form the next batch). A thread that caught up and was woken by a new window runs at once
/// when it has been idle for <see cref="VadOptions.BatchIntervalMs"/>, and otherwise first waits until that long after
/// its last run began, so that the windows of its other calls join the batch.
/// </summary>
/// <remarks>
/// Why the interval: on a CPU at a few hundred calls a thread finishes its run long before the next window is due, so
/// without it every run held one or two windows, each at batch-1 cost (about 100 µs against 60 µs batched), with a
/// wake-up per window. The wait adds at most the interval to a window's result, and never applies while work is
/// pending (a GPU kept busy is not slowed).
/// <para>
/// A stream contributes only its oldest pending window to a run, because its next window needs the state that run
/// produces. Membership changes are applied between runs, so no stream leaves while its window is in flight.
/// Work sharing: a thread whose backlog passes a quarter of <see cref="VadOptions.MaxLagMs"/> while another thread
/// sits idle hands half of its streams to the idle one, so every core is used before any window is skipped.
/// A removal is a flag on the stream (<see cref="ScheduledVadStream.RemoveRequest"/>) that whichever thread holds the
/// stream reads on its next pass, never a message sent to one thread: an earlier design queued removals to the owner
/// of the moment and forwarded them after a hand-over, and a removal that crossed a hand-over in flight could re-add a
/// stream after it had left (a stream no one finishes). With a flag nothing can be addressed to the wrong thread.
/// </para>
/// </remarks>
internal sealed class VadBatchWorker : IDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly IVadBatchRunner _runner;
    private readonly SilenceGate? _gate;
    private readonly ILogger _logger;
    private readonly int _maxBatchSize;
    private readonly Thread _thread;
    // No spinning before blocking: an idle inference thread spinning on every wake-up cost more CPU than the
    // microseconds of latency it saves (profile of held calls, issue 15).
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Lock _membershipGate = new();
    private readonly List<ScheduledVadStream> _adds = [];
    private readonly List<ScheduledVadStream> _applying = [];
    private readonly List<ScheduledVadStream> _streams = [];
    private readonly List<ScheduledVadStream> _finished = [];
    private readonly ScheduledVadStream?[] _batch;
    private readonly float[] _scratch;
    private readonly float[] _streamState = new float[SileroVadModel.StateSamplesPerStream];
    private readonly long _batchIntervalTicks;
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private long _lastRunStarted;
    private volatile bool _waitingForBatch;
    private volatile bool _stopping;
    private volatile bool _idle;
    private bool _exited;
    private int _streamCount;
    private VadBatchWorker[] _peers = [];
    private int _cursor;
    private long _droppedSinceLog;
    private long _lastDropLog;
    private long _failures;
    private int _lastLag;
    private long _streamsShared;

    public VadBatchWorker(IVadBatchRunner runner, int maxLagSamples, SilenceGate? gate, int index, ILogger logger, TimeSpan batchInterval = default)
    {
        _batchIntervalTicks = (long)(batchInterval.TotalSeconds * Stopwatch.Frequency);
        _runner = runner;
        _gate = gate;
        _logger = logger;
        _maxBatchSize = runner.MaxBatchSize;
        _batch = new ScheduledVadStream?[_maxBatchSize];
        _scratch = new float[maxLagSamples + (2 * SileroVadModel.InputSamples)];
        MaxLagSamples = maxLagSamples;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"vad-inference-{index}" };
        _thread.Start();
    }

    public int MaxLagSamples { get; }

    /// <summary>Streams registered (approximate; for placing new streams).</summary>
    public int StreamCount => Volatile.Read(ref _streamCount);

    /// <summary>Streams handed from this thread to idle ones so far.</summary>
    public long StreamsShared => Interlocked.Read(ref _streamsShared);

    /// <summary>Whether the thread found nothing to run on its last pass (the state work sharing looks for).</summary>
    internal bool IsIdle => _idle;

    /// <summary>Whether the thread is holding a run back for <see cref="VadOptions.BatchIntervalMs"/> (tests observe it).</summary>
    internal bool IsWaitingForBatch => _waitingForBatch;

    /// <summary>The scheduler's threads (this one included), among which a thread that falls behind shares streams.</summary>
    public void SetPeers(VadBatchWorker[] peers) => _peers = peers;

    /// <summary>Wakes the thread; cheap when it is already awake.</summary>
    public void Signal()
    {
        if (!_wake.IsSet)
        {
            try
            {
                _wake.Set();
            }
            catch (ObjectDisposedException)
            {
                // The scheduler stopped during shutdown while a call still had audio; nobody is listening.
            }
        }
    }

    public ScheduledVadStream Register()
    {
        var stream = new ScheduledVadStream(this, MaxLagSamples, _gate);
        lock (_membershipGate)
        {
            ObjectDisposedException.ThrowIf(_exited, this);
            _adds.Add(stream);
            Interlocked.Increment(ref _streamCount);
        }

        Signal();
        return stream;
    }

    /// <summary>
    /// Waits until the thread holding <paramref name="stream"/> has let go of it (after its last windows when the
    /// stream's <see cref="ScheduledVadStream.RemoveRequest"/> asks to finish). The request is already set.
    /// </summary>
    public static void Unregister(ScheduledVadStream stream)
    {
        // The flag is read by whichever thread holds the stream, now or after a hand-over; waking the owner seen here
        // only shortens the wait (every thread also rescans its streams at least every IdleWait). A thread that is
        // gone set Removed for every stream it held or was about to adopt when it exited.
        var owner = stream.Owner;
        lock (owner._membershipGate)
        {
            if (owner._exited)
            {
                stream.Removed.Set();
                return;
            }
        }

        owner.Signal();
        stream.Removed.Wait();
    }

    /// <summary>Takes over a stream that another thread hands on; false when this thread is stopping.</summary>
    private bool Adopt(ScheduledVadStream stream)
    {
        lock (_membershipGate)
        {
            if (_exited || _stopping)
            {
                return false;
            }

            _adds.Add(stream);
            stream.Owner = this;
            Interlocked.Increment(ref _streamCount);
        }

        _idle = false;
        Signal();
        return true;
    }

    /// <summary>Called on this thread by a stream that gave up overdue windows.</summary>
    public void OnWindowsDropped(int count)
    {
        VadBatchingMetrics.WindowsDropped.Add(count);
        _droppedSinceLog += count;
    }

    public void Dispose()
    {
        _stopping = true;
        _stop.Set();
        Signal();
        _thread.Join();
        _runner.Dispose();
        _wake.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        try
        {
            while (!_stopping)
            {
                try
                {
                    _wake.Reset();
                    ApplyRequests();
                    var batchSize = Gather();
                    LogDropsAtBoundedRate();
                    if (batchSize == 0)
                    {
                        _idle = true;
                        if (_wake.Wait(IdleWait))
                        {
                            WaitForBatchInterval();
                        }
                    }
                    else
                    {
                        _idle = false;
                        if (!RunBatch(batchSize))
                        {
                            Thread.Sleep(FailureBackoff);
                        }
                        else
                        {
                            ShareIfBehind();
                        }
                    }
                }
                catch (Exception ex)
                {
                    // Not expected (run failures are handled in RunBatch): keep serving the other calls, at a bounded
                    // log rate, rather than let every call lose voice activity with the thread.
                    Array.Clear(_batch);
                    if (_failures++ % 500 == 0)
                    {
                        VadBatchingLog.WorkerFailed(_logger, _thread.Name!, _failures, ex);
                    }

                    Thread.Sleep(FailureBackoff);
                }
            }
        }
        finally
        {
            Exit();
        }
    }

    private void ApplyRequests()
    {
        lock (_membershipGate)
        {
            _applying.AddRange(_adds);
            _adds.Clear();
        }

        _streams.AddRange(_applying);
        _applying.Clear();
    }

    private int Gather()
    {
        var count = _streams.Count;
        var batchSize = 0;
        var next = _cursor;
        for (var k = 0; k < count; k++)
        {
            // Rotate the starting stream so that, with more streams than MaxBatchSize, none waits behind the others.
            var index = (_cursor + k) % count;
            var stream = _streams[index];
            var request = stream.RemoveRequest;
            if (request == ScheduledVadStream.Leave)
            {
                _finished.Add(stream);
            }
            else if (!stream.Drain(_scratch))
            {
                if (request == ScheduledVadStream.Finish)
                {
                    _finished.Add(stream);
                }
            }
            else if (batchSize < _maxBatchSize)
            {
                _batch[batchSize++] = stream;
                next = index + 1;
            }
        }

        _cursor = count == 0 ? 0 : next % count;
        foreach (var stream in _finished)
        {
            _streams.Remove(stream);
            Interlocked.Decrement(ref _streamCount);
            stream.Removed.Set();
        }

        _finished.Clear();
        if (batchSize == 0)
        {
            return 0;
        }

        var input = _runner.Input;
        var state = _runner.State[..(batchSize * SileroVadModel.StateSamplesPerStream)];
        var lag = 0;
        for (var b = 0; b < batchSize; b++)
        {
            var vad = _batch[b]!.Vad;
            vad.PendingInput.CopyTo(input.Slice(b * SileroVadModel.InputSamples, SileroVadModel.InputSamples));
            SileroVadModel.CopyStateToBatch(vad.State, state, b, batchSize);
            lag = Math.Max(lag, vad.PendingSamples);
        }

        VadBatchingMetrics.QueueLag.Record(lag * 1000.0 / SileroVadModel.SampleRate);
        _lastLag = lag;
        return batchSize;
    }

    /// <summary>After an idle wait ended by a new window: lets the interval since the last run pass first.</summary>
    private void WaitForBatchInterval()
    {
        if (_batchIntervalTicks <= 0 || _stopping)
        {
            return;
        }

        var remaining = _lastRunStarted + _batchIntervalTicks - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            _waitingForBatch = true;
            _stop.Wait(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            _waitingForBatch = false;
        }
    }

    private bool RunBatch(int batchSize)
    {
        var started = Stopwatch.GetTimestamp();
        _lastRunStarted = started;
        try
        {
            _runner.Run(batchSize);
        }
        catch (Exception ex)
        {
            // The windows stay pending and are retried; a stream that falls behind meanwhile drops its oldest. A
            // stream that is finishing gives its windows up instead, so that ending a call never waits on a failing model.
            for (var b = 0; b < batchSize; b++)
            {
                if (_batch[b]!.RemoveRequest != ScheduledVadStream.Stay)
                {
                    _batch[b]!.DropPending();
                }
            }

            Array.Clear(_batch, 0, batchSize);
            VadBatchingMetrics.RunFailures.Add(1);
            if (_failures++ % 500 == 0)
            {
                VadBatchingLog.RunFailed(_logger, batchSize, _failures, ex);
            }

            return false;
        }

        VadBatchingMetrics.RunDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        VadBatchingMetrics.BatchSize.Record(batchSize);
        var probabilities = _runner.Probabilities;
        var nextState = _runner.NextState[..(batchSize * SileroVadModel.StateSamplesPerStream)];
        for (var b = 0; b < batchSize; b++)
        {
            SileroVadModel.CopyStateFromBatch(nextState, b, batchSize, _streamState);
            _batch[b]!.CompleteWindow(probabilities[b], _streamState);
            _batch[b] = null;
        }

        return true;
    }

    /// <summary>
    /// After a run (no window in flight): when this thread is a quarter of the backlog bound behind and another one
    /// is idle, hands it half of this thread's streams, the ones at the end of the rotation.
    /// </summary>
    private void ShareIfBehind()
    {
        if (_peers.Length < 2 || _streams.Count < 2 || _lastLag < MaxLagSamples / 4)
        {
            return;
        }

        VadBatchWorker? idle = null;
        foreach (var peer in _peers)
        {
            if (peer != this && peer._idle)
            {
                idle = peer;
                break;
            }
        }

        if (idle is null)
        {
            return;
        }

        var moved = 0;
        for (var i = _streams.Count - 1; i >= 0 && moved < _streams.Count / 2; i--)
        {
            var stream = _streams[i];
            if (stream.RemoveRequest != ScheduledVadStream.Stay || !idle.Adopt(stream))
            {
                continue;
            }

            _streams.RemoveAt(i);
            Interlocked.Decrement(ref _streamCount);
            moved++;
        }

        if (moved > 0)
        {
            _cursor = 0;
            Interlocked.Add(ref _streamsShared, moved);
            VadBatchingMetrics.StreamsShared.Add(moved);
        }
    }

    private void LogDropsAtBoundedRate()
    {
        if (_droppedSinceLog == 0 || (_lastDropLog != 0 && Stopwatch.GetElapsedTime(_lastDropLog) < DropLogInterval))
        {
            return;
        }

        VadBatchingLog.WindowsDropped(_logger, _droppedSinceLog, _thread.Name!, MaxLagSamples * 1000 / SileroVadModel.SampleRate);
        _droppedSinceLog = 0;
        _lastDropLog = Stopwatch.GetTimestamp();
    }

    private void Exit()
    {
        lock (_membershipGate)
        {
            _exited = true;
            _applying.AddRange(_adds);
            _adds.Clear();
        }

        // Nobody may wait forever on a thread that is gone.
        foreach (var stream in _applying)
        {
            stream.Removed.Set();
        }

        foreach (var stream in _streams)
        {
            stream.Removed.Set();
        }

        _applying.Clear();
        _streams.Clear();
    }
}
