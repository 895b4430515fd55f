using Microsoft.Extensions.Logging;

namespace StepAudio.Telephony.Inference.Threading;

/// <summary>
/// A bounded queue served by a few dedicated threads that lower their own priority (a Linux nice value above 0), for
/// work that may lag behind the real-time work of the process but must not be lost: what is accepted is run, in
/// order of acceptance per thread, also after <see cref="Complete"/> (the threads drain the queue before they end).
/// A full queue refuses at once (<see cref="TryPost"/> returns false): the caller never waits.
/// </summary>
/// <remarks>
/// Why dedicated threads at a lower priority (issue 15): on the thread pool this work was as entitled to a core as
/// the RTP receive path and the VAD inference threads, and the kernel's fair scheduler shares a core equally among
/// runnable threads; at 400 calls on 2 cores the inference threads were runnable but not running for most of the
/// time they needed. A thread at nice +10 gets about a tenth of the share of one at 0 while both want the core, and
/// all of a core that nothing else wants, so the work still runs on an idle core and on a busy one it gives way.
/// Raising the nice value needs no privilege. The threads are background threads: they never hold the process up.
/// </remarks>
/// <typeparam name="T">A unit of work.</typeparam>
public sealed class BackgroundWorkerPool<T> : IAsyncDisposable
{
    private readonly Action<T> _handler;
    private readonly Action<T, Exception> _onFailure;
    private readonly Func<int, int> _setNice;
    private readonly ILogger _logger;
    private readonly Queue<T> _queue;
    private readonly int _capacity;
    private readonly object _gate = new(); // Monitor: the threads wait on it for work
    private readonly Thread[] _threads;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _failures;
    private int _running;
    private int _niceRefused;
    private bool _completed;

    /// <param name="name">Thread name prefix; the threads are <c>name-0</c>, <c>name-1</c>, …</param>
    /// <param name="workers">How many threads (at least 1).</param>
    /// <param name="capacity">Items waiting at most (at least 1); an item being run no longer counts.</param>
    /// <param name="nice">The threads' nice value (−20 to 19); 0 leaves them at the value they inherit.</param>
    /// <param name="handler">Runs one item on a worker thread.</param>
    /// <param name="onFailure">Told when <paramref name="handler"/> threw; the thread goes on with the next item.</param>
    /// <param name="logger">Receives one warning when the kernel refuses the nice value.</param>
    /// <param name="setNice">Sets the calling thread's nice value and returns 0 or an errno (tests script it).</param>
    public BackgroundWorkerPool(
        string name,
        int workers,
        int capacity,
        int nice,
        Action<T> handler,
        Action<T, Exception> onFailure,
        ILogger logger,
        Func<int, int>? setNice = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nice, -20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(onFailure);
        ArgumentNullException.ThrowIfNull(logger);
        _handler = handler;
        _onFailure = onFailure;
        _logger = logger;
        _setNice = setNice ?? ThreadNice.TrySetForCurrentThread;
        _capacity = capacity;
        _queue = new Queue<T>(Math.Min(capacity, 1024));
        Nice = nice;
        _running = workers;
        _threads = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = $"{name}-{i}" };
        }

        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>The nice value the threads asked for.</summary>
    public int Nice { get; }

    /// <summary>Whether the kernel refused the nice value (the threads then run at the value they inherited).</summary>
    public bool NiceRefused => Volatile.Read(ref _niceRefused) != 0;

    /// <summary>Items whose handler threw.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Items accepted and not yet taken by a thread.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Completes when every thread has drained the queue and ended (after <see cref="Complete"/>).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Queues <paramref name="item"/> without waiting; false when the queue is full or completed.</summary>
    public bool TryPost(T item)
    {
        lock (_gate)
        {
            if (_completed || _queue.Count >= _capacity)
            {
                return false;
            }

            _queue.Enqueue(item);
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Takes no more items; the threads run those accepted and then end.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Completes the pool and waits until every accepted item has run.</summary>
    public async ValueTask DisposeAsync()
    {
        Complete();
        await _stopped.Task.ConfigureAwait(false);
    }

    private void Loop()
    {
        SetNice();
        try
        {
            while (TryTake(out var item))
            {
                try
                {
                    _handler(item);
                }
                catch (Exception ex)
                {
                    // One bad item must not stop the thread every other item shares.
                    Interlocked.Increment(ref _failures);
                    try
                    {
                        _onFailure(item, ex);
                    }
                    catch (Exception report)
                    {
                        BackgroundWorkerPoolLog.ReportFailed(_logger, Thread.CurrentThread.Name!, report);
                    }
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _stopped.TrySetResult();
            }
        }
    }

    private bool TryTake(out T item)
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_completed)
                {
                    item = default!;
                    return false;
                }

                Monitor.Wait(_gate);
            }

            item = _queue.Dequeue();
            return true;
        }
    }

    private void SetNice()
    {
        if (Nice == 0)
        {
            return;
        }

        var errno = _setNice(Nice);
        if (errno != 0 && Interlocked.Exchange(ref _niceRefused, 1) == 0)
        {
            BackgroundWorkerPoolLog.NiceNotSet(_logger, Thread.CurrentThread.Name!, Nice, errno);
        }
    }
}
