using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace StepAudio.Telephony.Inference.Vad.Batching;

/// <summary>
/// Scores the windows of every call on one shared model in batches, on <see cref="VadOptions.InferenceThreads"/>
/// dedicated threads, instead of at batch 1 on each call's receive path. Registration is thread-safe.
/// </summary>
/// <remarks>
/// Batching is what makes a GPU worth having and what lets one CPU core serve a few hundred calls (gpu/README.md,
/// inference-notes.md); a call's windows still run one at a time in order because the model is recurrent.
/// </remarks>
public sealed class VadBatchScheduler : IInferenceLateness, IDisposable
{
    private readonly SileroVadModel? _model;
    private readonly VadOptions _options;
    private readonly VadBatchWorker[] _workers;
    private int _next;
    private bool _disposed;

    /// <summary>Creates the scheduler of the gateway, on the process-wide model.</summary>
    public VadBatchScheduler(SileroVadModel model, IOptions<VadOptions> options, ILogger<VadBatchScheduler>? logger = null)
        : this((maxBatchSize, rate) => new SileroBatchRunner(model, maxBatchSize, rate), options?.Value!, logger)
    {
        _model = model;
    }

    /// <summary>Creates a scheduler of 16 kHz streams only, whose threads each run batches through a runner from <paramref name="runnerFactory"/>.</summary>
    /// <param name="runnerFactory">Given the largest batch size, makes one thread's runner.</param>
    /// <param name="options">Threads, batch size and backlog bound.</param>
    /// <param name="logger">Receives the start line, run failures and drop reports.</param>
    public VadBatchScheduler(Func<int, IVadBatchRunner> runnerFactory, VadOptions options, ILogger? logger = null)
        : this(WidebandOnly(runnerFactory), options, logger)
    {
    }

    /// <summary>Creates a scheduler whose threads each run batches through runners from <paramref name="runnerFactory"/>.</summary>
    /// <param name="runnerFactory">Given the largest batch size and a rate, makes one thread's runner for that rate.</param>
    /// <param name="options">Threads, batch size and backlog bound.</param>
    /// <param name="logger">Receives the start line, run failures and drop reports.</param>
    public VadBatchScheduler(Func<int, SileroRate, IVadBatchRunner> runnerFactory, VadOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runnerFactory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var log = logger ?? NullLogger.Instance;
        var gate = SilenceGate.From(options);
        _workers = new VadBatchWorker[options.EffectiveInferenceThreads];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new VadBatchWorker(
                rate => runnerFactory(options.MaxBatchSize, rate), options.MaxLagMs, gate, i, log, TimeSpan.FromMilliseconds(options.BatchIntervalMs), options.InferenceThreadNice);
        }

        foreach (var worker in _workers)
        {
            worker.SetPeers(_workers);
        }

        if (_workers.Length > 0)
        {
            VadBatchingLog.Started(log, _workers.Length, options.InferenceThreadNice, options.MaxBatchSize, options.MaxLagMs, options.SilenceGateDbfs);
        }
    }

    /// <summary>Whether calls are scored in batches (<see cref="VadOptions.InferenceThreads"/> &gt; 0).</summary>
    public bool IsBatching => _workers.Length > 0;

    /// <summary>The inference threads (tests wait on their state instead of sleeping).</summary>
    internal IReadOnlyList<VadBatchWorker> Workers => _workers;

    /// <inheritdoc />
    public long WindowsSkipped => _workers.Sum(w => w.WindowsDropped);

    /// <inheritdoc />
    public double BacklogMs => _workers.Select(w => w.BacklogMs).DefaultIfEmpty().Max();

    /// <inheritdoc />
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, _workers.Sum(w => w.BusyTicks));

    /// <inheritdoc />
    public int Threads => _workers.Length;

    /// <summary>Streams handed from a thread that fell behind to an idle one since start.</summary>
    public long StreamsShared => _workers.Sum(w => w.StreamsShared);

    /// <summary>Registers a 16 kHz stream on the least loaded inference thread.</summary>
    /// <exception cref="InvalidOperationException">The scheduler has no inference threads.</exception>
    public ScheduledVadStream Register() => Register(SileroRate.Wideband);

    /// <summary>Registers a stream of <paramref name="rate"/> on the least loaded inference thread.</summary>
    /// <exception cref="InvalidOperationException">The scheduler has no inference threads.</exception>
    public ScheduledVadStream Register(SileroRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_workers.Length == 0)
        {
            throw new InvalidOperationException("Vad:InferenceThreads is 0: windows run inline, not through the scheduler.");
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_workers.Length);
        var chosen = _workers[start];
        foreach (var worker in _workers)
        {
            if (worker.StreamCount < chosen.StreamCount)
            {
                chosen = worker;
            }
        }

        return chosen.Register(rate);
    }

    /// <summary>A detector for one call: batched when the scheduler has threads, inline at batch 1 otherwise.</summary>
    public ISpeechDetector CreateDetector()
    {
        if (IsBatching)
        {
            return new BatchedSpeechDetector(this, _options);
        }

        return new SpeechDetector(
            _model ?? throw new InvalidOperationException("Inline detection needs the scheduler built on a SileroVadModel."),
            _options);
    }

    private static Func<int, SileroRate, IVadBatchRunner> WidebandOnly(Func<int, IVadBatchRunner> runnerFactory)
    {
        ArgumentNullException.ThrowIfNull(runnerFactory);
        return (maxBatchSize, rate) => rate == SileroRate.Wideband
            ? runnerFactory(maxBatchSize)
            : throw new NotSupportedException("This scheduler was made with runners for 16 kHz streams only.");
    }

    /// <summary>Stops the inference threads; streams still registered get no more results.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}
