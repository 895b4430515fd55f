using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// The batch of one sample rate on one inference thread: collects the streams whose windows run together, copies
/// their inputs and states into its runner's buffers, runs the model once and hands each stream its result.
/// </summary>
/// <remarks>
/// The model takes one <c>sr</c> per run and the window length differs by rate, so 8 kHz and 16 kHz windows cannot
/// share a batch: a <see cref="VadBatchWorker"/> keeps one lane per rate it has seen and runs each lane that has
/// windows on every pass.
/// </remarks>
internal sealed class VadBatchLane : IDisposable
{
    private readonly IVadBatchRunner _runner;
    private readonly ILogger _logger;
    private readonly ScheduledVadStream?[] _batch;
    private readonly float[] _streamState = new float[SileroVadModel.StateSamplesPerStream];
    private long _failures;

    public VadBatchLane(IVadBatchRunner runner, ILogger logger)
    {
        _runner = runner;
        _logger = logger;
        _batch = new ScheduledVadStream?[runner.MaxBatchSize];
    }

    public SileroRate Rate => _runner.Rate;

    /// <summary>Streams added since the last run.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == _batch.Length;

    /// <summary>Adds a stream whose window is pending (the caller checked <see cref="IsFull"/>).</summary>
    public void Add(ScheduledVadStream stream) => _batch[Count++] = stream;

    /// <summary>Forgets the batch without running it (the worker recovers from an unexpected failure).</summary>
    public void Clear()
    {
        Array.Clear(_batch);
        Count = 0;
    }

    /// <summary>Copies the batch's inputs and states into the runner.</summary>
    /// <returns>The largest backlog in the batch, in milliseconds.</returns>
    public double Prepare()
    {
        var batchSize = Count;
        var inputSamples = Rate.InputSamples;
        var input = _runner.Input;
        var state = _runner.State[..(batchSize * SileroVadModel.StateSamplesPerStream)];
        var lag = 0;
        for (var b = 0; b < batchSize; b++)
        {
            var vad = _batch[b]!.Vad;
            vad.PendingInput.CopyTo(input.Slice(b * inputSamples, inputSamples));
            SileroVadModel.CopyStateToBatch(vad.State, state, b, batchSize);
            lag = Math.Max(lag, vad.PendingSamples);
        }

        return (double)lag / Rate.SamplesPerMs;
    }

    /// <summary>Runs the prepared batch and completes each stream's window; the lane is empty afterwards.</summary>
    /// <returns>False when the run failed (its windows stay pending, except those of finishing streams).</returns>
    public bool Run()
    {
        var batchSize = Count;
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
                if (_batch[b]!.RemoveRequest != ScheduledVadStream.Stay)
                {
                    _batch[b]!.DropPending();
                }
            }

            Clear();
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

        Count = 0;
        return true;
    }

    public void Dispose() => _runner.Dispose();
}
