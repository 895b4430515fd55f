using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// Runs the segment analyzer for every call on a few worker threads, off the RTP receive loops. Bounded: when it is
/// full a span is skipped (and counted), because a late analysis is worth less than undisturbed media.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the name says so to a newcomer.")]
public sealed partial class SegmentAnalysisQueue : ISegmentAnalysisRunner, IAsyncDisposable
{
    private readonly ISegmentAnalyzer _analyzer;
    private readonly Channel<AnalysisJob> _jobs;
    private readonly Task[] _workers;
    private readonly ILogger _logger;
    private long _failures;

    /// <summary>Starts the workers.</summary>
    public SegmentAnalysisQueue(ISegmentAnalyzer analyzer, IOptions<CallAnalysisOptions> options, ILogger<SegmentAnalysisQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        settings.Validate();
        _analyzer = analyzer;
        _logger = logger;
        Options = settings;
        _jobs = Channel.CreateBounded<AnalysisJob>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of dropping a queued job
            SingleReader = settings.Workers == 1,
        });
        _workers = new Task[settings.Workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>The options the queue was built with (each call's analysis uses the same).</summary>
    public CallAnalysisOptions Options { get; }

    /// <inheritdoc />
    public bool TryEnqueue(AnalysisJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_jobs.Writer.TryWrite(job))
        {
            return true;
        }

        ArrayPool<float>.Shared.Return(job.Audio, clearArray: true); // caller audio must not linger in pooled memory
        AnalysisMetrics.Skipped.Add(1);
        return false;
    }

    /// <summary>Finishes the queued jobs and stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var job in _jobs.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            SegmentAnalysis? result = null;
            try
            {
                result = _analyzer.Analyze(job.Audio.AsSpan(0, job.Length), job.Start, job.IsSpeech, job.Speaker);
                AnalysisMetrics.Analysed.Add(1);
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

            try
            {
                job.Owner.OnAnalysed(job, result);
            }
            catch (Exception ex)
            {
                LogAnalysisFailed(_logger, Interlocked.Increment(ref _failures), ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment analysis failed ({Failures} failures so far)")]
    private static partial void LogAnalysisFailed(ILogger logger, long failures, Exception exception);
}
