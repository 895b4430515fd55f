using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.Inference.Threading;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// One inference thread of a <see cref="VadBatchScheduler"/>: owns a share of the streams and a batch per sample rate
/// (<see cref="VadBatchLane"/>), and loops gather → run → hand back. While it is behind (its oldest window a quarter
/// of <see cref="VadOptions.MaxLagMs"/> old or more) a run follows the last at once. A thread that caught up runs at
/// once when it has been idle for <see cref="VadOptions.BatchIntervalMs"/>, and otherwise first waits until that long
/// after its last run began, so that the windows of its other calls join the batch.
/// </summary>
/// <remarks>
/// Why the interval: on a CPU at a few hundred calls a thread finishes its run long before the next window is due, so
/// without it every run held one or two windows, each at batch-1 cost (about 100 µs against 60 µs batched), with a
/// wake-up per window. The wait adds at most the interval to a window's result and never applies to a thread that is
/// behind or after a run longer than the interval (a GPU kept busy is not slowed). It follows a run too: a thread that
/// gets its core promptly (<see cref="InferenceThreadPriority"/>) otherwise ran the few windows that came during its
/// last run at once, again and again (issue 15: mean batch 12 against 54).
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

    private readonly Func<SileroRate, IVadBatchRunner> _runnerFactory;
    private readonly VadBatchLane _wideband;
    private VadBatchLane? _narrowband;
    private readonly SilenceGate? _gate;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    // No spinning before blocking: an idle inference thread spinning on every wake-up cost more CPU than the
    // microseconds of latency it saves (profile of held calls, issue 15).
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly VadStreamInbox _inbox = new();
    private readonly List<ScheduledVadStream> _streams = [];
    private readonly List<ScheduledVadStream> _finished = [];
    private readonly float[] _scratch;
    private readonly VadBatchPacer _pacer;
    private readonly VadDropReport _drops;
    private volatile bool _stopping;
    private volatile bool _idle;
    private int _streamCount;
    private VadBatchWorker[] _peers = [];
    private int _cursor;
    private long _failures;
    private double _lastLagMs;
    private long _streamsShared;
    private long _busyTicks;
    private readonly InferenceThreadPriority _priority;

    // The runner factory is called at once for 16 kHz and on the first 8 kHz stream for 8 kHz.
    public VadBatchWorker(Func<SileroRate, IVadBatchRunner> runnerFactory, int maxLagMs, SilenceGate? gate, int index, ILogger logger, TimeSpan batchInterval = default, int nice = 0)
    {
        _pacer = new VadBatchPacer(batchInterval, caughtUpLagMs: maxLagMs / 4.0);
        _runnerFactory = runnerFactory;
        _gate = gate;
        _logger = logger;
        _wideband = new VadBatchLane(runnerFactory(SileroRate.Wideband), logger);
        _scratch = new float[(maxLagMs * SileroRate.Wideband.SamplesPerMs) + (2 * SileroRate.Wideband.InputSamples)];
        MaxLagMs = maxLagMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"vad-inference-{index}" };
        _drops = new VadDropReport(logger, _thread.Name, maxLagMs);
        _priority = new InferenceThreadPriority(nice, logger, _thread.Name);
        _thread.Start();
    }

    public int MaxLagMs { get; }

    /// <summary>Streams registered (approximate; for placing new streams).</summary>
    public int StreamCount => Volatile.Read(ref _streamCount);

    /// <summary>Windows this thread gave up for lateness since start (any thread may read it).</summary>
    public long WindowsDropped => _drops.Total;

    /// <summary>The largest backlog of unscored audio in this thread's last batch, in ms; 0 once it has nothing to run.</summary>
    public double BacklogMs => Volatile.Read(ref _lastLagMs);

    /// <summary>Stopwatch ticks this thread has spent running batches since start (any thread may read it).</summary>
    public long BusyTicks => Interlocked.Read(ref _busyTicks);

    /// <summary>Streams handed from this thread to idle ones so far.</summary>
    public long StreamsShared => Interlocked.Read(ref _streamsShared);

    /// <summary>Whether the thread found nothing to run on its last pass, or caught up and holds its next run back (the state work sharing looks for).</summary>
    internal bool IsIdle => _idle;

    /// <summary>Whether the thread is holding a run back for <see cref="VadOptions.BatchIntervalMs"/> (tests observe it).</summary>
    internal bool IsWaitingForBatch => _pacer.IsWaiting;

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

    public ScheduledVadStream Register(SileroRate? rate = null)
    {
        var stream = new ScheduledVadStream(this, MaxLagMs, _gate, rate ?? SileroRate.Wideband);
        ObjectDisposedException.ThrowIf(!_inbox.TryAdd(stream), this);
        Interlocked.Increment(ref _streamCount);

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
        if (owner._inbox.IsClosed)
        {
            stream.Removed.Set();
            return;
        }

        owner.Signal();
        stream.Removed.Wait();
    }

    /// <summary>Takes over a stream that another thread hands on; false when this thread is stopping.</summary>
    private bool Adopt(ScheduledVadStream stream)
    {
        if (_stopping || !_inbox.TryAdd(stream, newOwner: this))
        {
            return false;
        }

        Interlocked.Increment(ref _streamCount);

        _idle = false;
        Signal();
        return true;
    }

    /// <summary>Called on this thread by a stream that gave up overdue windows.</summary>
    public void OnWindowsDropped(int count) => _drops.Add(count);

    public void Dispose()
    {
        _stopping = true;
        _pacer.Stop();
        Signal();
        _thread.Join();
        _wideband.Dispose();
        _narrowband?.Dispose();
        _wake.Dispose();
        _pacer.Dispose();
    }

    private void Loop()
    {
        _priority.Start(ThreadNice.ForCurrentThread());
        try
        {
            while (!_stopping)
            {
                try
                {
                    _wake.Reset();
                    _inbox.TakeInto(_streams);
                    var batchSize = Gather();
                    _drops.LogAtBoundedRate();
                    if (batchSize == 0)
                    {
                        _idle = true;
                        if (_wake.Wait(IdleWait))
                        {
                            _pacer.WaitForInterval();
                        }
                    }
                    else
                    {
                        _idle = false;
                        _priority.OnPass(_lastLagMs, MaxLagMs);
                        var started = Stopwatch.GetTimestamp();
                        var succeeded = RunBatches();
                        Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
                        if (!succeeded)
                        {
                            Thread.Sleep(FailureBackoff);
                        }
                        else
                        {
                            ShareIfBehind();
                            _idle = _pacer.IsCaughtUp(_lastLagMs); // holding back, free to take a peer's streams
                            if (_idle)
                            {
                                _pacer.WaitForInterval();
                            }
                        }
                    }
                }
                catch (Exception ex)
                {
                    // Not expected (run failures are handled in RunBatch): keep serving the other calls, at a bounded
                    // log rate, rather than let every call lose voice activity with the thread.
                    _wideband.Clear();
                    _narrowband?.Clear();
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
            else if (LaneOf(stream) is { IsFull: false } lane)
            {
                lane.Add(stream);
                batchSize++;
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
            Volatile.Write(ref _lastLagMs, 0); // nothing waits: no backlog (the admission guard reads it)
            return 0;
        }

        var lagMs = 0.0;
        if (_wideband.Count > 0)
        {
            lagMs = _wideband.Prepare();
        }

        if (_narrowband is { Count: > 0 } narrowband)
        {
            lagMs = Math.Max(lagMs, narrowband.Prepare());
        }

        VadBatchingMetrics.QueueLag.Record(lagMs);
        Volatile.Write(ref _lastLagMs, lagMs);
        return batchSize;
    }

    /// <summary>The lane of the stream's rate, made on the first 8 kHz stream.</summary>
    private VadBatchLane LaneOf(ScheduledVadStream stream) =>
        stream.Rate == SileroRate.Wideband ? _wideband : _narrowband ??= new VadBatchLane(_runnerFactory(SileroRate.Narrowband), _logger);

    /// <summary>Runs every lane that has windows; false when a run failed.</summary>
    private bool RunBatches()
    {
        _pacer.RunStarting();
        var succeeded = true;
        if (_wideband.Count > 0)
        {
            succeeded &= _wideband.Run();
        }

        if (_narrowband is { Count: > 0 } narrowband)
        {
            succeeded &= narrowband.Run();
        }

        return succeeded;
    }

    /// <summary>
    /// After a run (no window in flight): when this thread is a quarter of the backlog bound behind and another one
    /// is idle, hands it half of this thread's streams, the ones at the end of the rotation.
    /// </summary>
    private void ShareIfBehind()
    {
        if (_peers.Length < 2 || _streams.Count < 2 || _lastLagMs < MaxLagMs / 4.0)
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

    private void Exit()
    {
        // Nobody may wait forever on a thread that is gone.
        _inbox.Close();
        foreach (var stream in _streams)
        {
            stream.Removed.Set();
        }

        _streams.Clear();
    }
}
