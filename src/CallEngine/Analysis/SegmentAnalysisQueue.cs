using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Threading;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// Runs the segment analyzer for every call on a few dedicated worker threads (<c>analysis-N</c>) at a lower priority
/// (<see cref="CallAnalysisOptions.WorkerNice"/>), off the RTP receive loops and behind the VAD inference threads.
/// Bounded: when it is full a span is skipped (and counted), because a late analysis is worth less than undisturbed
/// media; a span it accepted is analysed, also when the gateway stops (<see cref="DisposeAsync"/> drains), unless its
/// call has ended and stopped waiting for it by the time a worker takes it.
/// </summary>
/// <remarks>
/// Why not the thread pool (issue 15): the analysis is not real time (a call's end waits for it up to
/// <see cref="CallAnalysisOptions.DrainTimeout"/>, a flow up to <see cref="CallAnalysisOptions.TurnAnalysisWait"/>), but
/// on the pool it competed for the cores on equal terms with the receive path and the inference threads.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the name says so to a newcomer.")]
public sealed partial class SegmentAnalysisQueue : ISegmentAnalysisRunner, IAsyncDisposable
{
    private readonly ISegmentAnalyzer _analyzer;
    private readonly BackgroundWorkerPool<AnalysisJob> _workers;
    private readonly ILogger _logger;
    private long _failures;

    /// <summary>Starts the workers.</summary>
    public SegmentAnalysisQueue(ISegmentAnalyzer analyzer, IOptions<CallAnalysisOptions> options, ILogger<SegmentAnalysisQueue> logger)
        : this(analyzer, options, logger, setNice: null)
    {
    }

    /// <summary>Starts the workers; <paramref name="setNice"/> scripts the threads' priority in tests.</summary>
    internal SegmentAnalysisQueue(ISegmentAnalyzer analyzer, IOptions<CallAnalysisOptions> options, ILogger<SegmentAnalysisQueue> logger, Func<int, int>? setNice)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        settings.Validate();
        _analyzer = analyzer;
        _logger = logger;
        Options = settings;
        _workers = new BackgroundWorkerPool<AnalysisJob>(
            "analysis", settings.Workers, settings.QueueCapacity, settings.WorkerNice, Run, OnFailed, logger, setNice);
    }

    /// <summary>The options the queue was built with (each call's analysis uses the same).</summary>
    public CallAnalysisOptions Options { get; }

    /// <summary>Whether the kernel refused <see cref="CallAnalysisOptions.WorkerNice"/> (the workers then run at the default priority).</summary>
    public bool WorkerNiceRefused => _workers.NiceRefused;

    /// <inheritdoc />
    public bool TryEnqueue(AnalysisJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_workers.TryPost(job))
        {
            return true;
        }

        ArrayPool<float>.Shared.Return(job.Audio, clearArray: true); // caller audio must not linger in pooled memory
        AnalysisMetrics.Skipped.Add(1);
        return false;
    }

    /// <summary>Finishes the queued jobs and stops the workers.</summary>
    public ValueTask DisposeAsync() => _workers.DisposeAsync();

    private void Run(AnalysisJob job)
    {
        SegmentAnalysis? result = null;
        try
        {
            if (job.Owner.IsClosed)
            {
                // Under overload the queue outlives calls: their end stopped waiting (DrainTimeout), counted this span
                // as unfinished and drops its result, so the worker spends its CPU on calls still live instead (issue 15).
                AnalysisMetrics.Abandoned.Add(1);
            }
            else
            {
                result = _analyzer.Analyze(job.Audio.AsSpan(0, job.Length), job.Start, job.IsSpeech, job.Speaker);
                AnalysisMetrics.Analysed.Add(1);
            }
        }
        catch (Exception ex)
        {
            // A bad span must not stop the worker that every call shares.
            AnalysisMetrics.Failed.Add(1);
            if (Interlocked.Increment(ref _failures) % 100 == 1)
            {
                LogAnalysisFailed(_logger, _failures, ex);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(job.Audio, clearArray: true); // caller audio must not linger in pooled memory
        }

        job.Owner.OnAnalysed(job, result); // a failure here reaches OnFailed; the worker goes on
    }

    private void OnFailed(AnalysisJob job, Exception ex) => LogAnalysisFailed(_logger, Interlocked.Increment(ref _failures), ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment analysis failed ({Failures} failures so far)")]
    private static partial void LogAnalysisFailed(ILogger logger, long failures, Exception exception);
}
