using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// One inference thread of a <see cref="VadBatchScheduler"/>: owns a share of the streams and a runner, and loops
/// gather → run → hand back. A run starts as soon as any stream has a whole window: waiting to fill a batch would
/// add latency, while under load the windows that arrive during one run naturally form the next batch.
/// </summary>
/// <remarks>
/// A stream contributes only its oldest pending window to a run, because its next window needs the state that run
/// produces. Membership changes are applied between runs, so no stream leaves while its window is in flight.
/// </remarks>
internal sealed class VadBatchWorker : IDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly IVadBatchRunner _runner;
    private readonly ILogger _logger;
    private readonly int _maxBatchSize;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Lock _membershipGate = new();
    private readonly List<(ScheduledVadStream Stream, bool Add, bool Finish)> _requests = [];
    private readonly List<(ScheduledVadStream Stream, bool Add, bool Finish)> _applying = [];
    private readonly List<ScheduledVadStream> _streams = [];
    private readonly List<ScheduledVadStream> _finished = [];
    private readonly ScheduledVadStream?[] _batch;
    private readonly float[] _scratch;
    private readonly float[] _streamState = new float[SileroVadModel.StateSamplesPerStream];
    private volatile bool _stopping;
    private bool _exited;
    private int _cursor;
    private long _droppedSinceLog;
    private long _lastDropLog;
    private long _failures;

    public VadBatchWorker(IVadBatchRunner runner, int maxLagSamples, int index, ILogger logger)
    {
        _runner = runner;
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
    public int StreamCount { get; private set; }

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
        var stream = new ScheduledVadStream(this, MaxLagSamples);
        lock (_membershipGate)
        {
            ObjectDisposedException.ThrowIf(_exited, this);
            _requests.Add((stream, true, false));
            StreamCount++;
        }

        Signal();
        return stream;
    }

    /// <summary>Waits until the thread has let go of <paramref name="stream"/> (after its last windows when finishing).</summary>
    public void Unregister(ScheduledVadStream stream, bool finish)
    {
        lock (_membershipGate)
        {
            StreamCount--;
            if (_exited)
            {
                return;
            }

            _requests.Add((stream, false, finish));
        }

        Signal();
        stream.Removed.Wait();
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
        Signal();
        _thread.Join();
        _runner.Dispose();
        _wake.Dispose();
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
                        _wake.Wait(IdleWait);
                    }
                    else if (!RunBatch(batchSize))
                    {
                        Thread.Sleep(FailureBackoff);
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
            _applying.AddRange(_requests);
            _requests.Clear();
        }

        foreach (var (stream, add, finish) in _applying)
        {
            if (add)
            {
                _streams.Add(stream);
            }
            else if (finish)
            {
                stream.Closing = true;
            }
            else
            {
                _streams.Remove(stream);
                stream.Removed.Set();
            }
        }

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
            if (!stream.Drain(_scratch))
            {
                if (stream.Closing)
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
        return batchSize;
    }

    private bool RunBatch(int batchSize)
    {
        var started = Stopwatch.GetTimestamp();
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
                if (_batch[b]!.Closing)
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
            _applying.AddRange(_requests);
            _requests.Clear();
        }

        // Nobody may wait forever on a thread that is gone.
        foreach (var (stream, _, _) in _applying)
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
