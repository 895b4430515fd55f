using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Threading;

namespace StepAudio.Telephony.Inference.Tests.Threading;

/// <summary>
/// <see cref="BackgroundWorkerPool{T}"/>: a bounded queue on dedicated threads at a lower priority (issue 15). Every
/// wait here is on a condition the test controls (a gate the handler blocks on, the pool's own completion), never on
/// time, and the nice value is scripted, so the tests run the same on any machine and under any load.
/// </summary>
public sealed class BackgroundWorkerPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_accepted_item_runs_in_order_and_dispose_waits_for_the_last()
    {
        var ran = new ConcurrentQueue<int>();
        using var gate = new ManualResetEventSlim(false);
        var pool = Create(workers: 1, capacity: 100, handler: item => { gate.Wait(Patience); ran.Enqueue(item); });

        for (var i = 0; i < 50; i++)
        {
            Assert.True(pool.TryPost(i));
        }

        gate.Set();
        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 50), ran);
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_what_it_accepted_still_runs()
    {
        var ran = new ConcurrentQueue<int>();
        using var started = new ManualResetEventSlim(false);
        using var gate = new ManualResetEventSlim(false);
        var pool = Create(workers: 1, capacity: 2, handler: item =>
        {
            started.Set();
            gate.Wait(Patience);
            ran.Enqueue(item);
        });

        Assert.True(pool.TryPost(0));
        Assert.True(started.Wait(Patience), "the worker must take the first item");
        Assert.True(pool.TryPost(1)); // item 0 is running, so two places are free
        Assert.True(pool.TryPost(2));
        Assert.False(pool.TryPost(3)); // full: refused without waiting
        Assert.Equal(2, pool.Waiting);

        gate.Set();
        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal([0, 1, 2], ran);
    }

    [Fact]
    public async Task After_complete_nothing_is_accepted_but_the_queue_is_drained()
    {
        var ran = new ConcurrentQueue<int>();
        using var gate = new ManualResetEventSlim(false);
        var pool = Create(workers: 2, capacity: 10, handler: item => { gate.Wait(Patience); ran.Enqueue(item); });
        for (var i = 0; i < 6; i++)
        {
            Assert.True(pool.TryPost(i));
        }

        pool.Complete();

        Assert.False(pool.TryPost(99));
        Assert.False(pool.Stopped.IsCompleted); // items are still waiting behind the gate
        gate.Set();
        await pool.Stopped.WaitAsync(Patience);
        Assert.Equal([0, 1, 2, 3, 4, 5], ran.Order());
    }

    [Fact]
    public async Task Each_worker_thread_sets_the_configured_nice_value_on_itself()
    {
        var calls = new ConcurrentQueue<(string Thread, int Nice)>();
        var pool = Create(workers: 3, capacity: 4, nice: 10, setNice: nice =>
        {
            calls.Enqueue((Thread.CurrentThread.Name!, nice));
            return 0;
        });

        await pool.DisposeAsync().AsTask().WaitAsync(Patience); // every thread has started and ended

        Assert.Equal(["work-0", "work-1", "work-2"], calls.Select(c => c.Thread).Order());
        Assert.All(calls, c => Assert.Equal(10, c.Nice));
        Assert.False(pool.NiceRefused);
    }

    [Fact]
    public async Task Nice_zero_leaves_the_threads_alone()
    {
        var calls = 0;
        var pool = Create(workers: 2, capacity: 4, nice: 0, setNice: _ => Interlocked.Increment(ref calls));

        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_refused_nice_value_is_logged_once_and_the_work_still_runs()
    {
        var logger = new CountingLogger();
        var ran = 0;
        const int EPerm = 1;
        var pool = new BackgroundWorkerPool<int>(
            "work", workers: 3, capacity: 10, nice: -5, _ => Interlocked.Increment(ref ran), (_, _) => { }, logger, setNice: _ => EPerm);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(pool.TryPost(i));
        }

        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(pool.NiceRefused);
        Assert.Equal(1, logger.Warnings);
        Assert.Equal(5, ran);
    }

    [Fact]
    public async Task A_throwing_item_is_reported_and_the_thread_goes_on()
    {
        var ran = new ConcurrentQueue<int>();
        var failed = new ConcurrentQueue<(int Item, string Message)>();
        var pool = new BackgroundWorkerPool<int>(
            "work",
            workers: 1,
            capacity: 10,
            nice: 0,
            item =>
            {
                if (item == 1)
                {
                    throw new InvalidOperationException("bad item");
                }

                ran.Enqueue(item);
            },
            (item, ex) => failed.Enqueue((item, ex.Message)),
            NullLogger.Instance);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(pool.TryPost(i));
        }

        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal([0, 2], ran);
        Assert.Equal([(1, "bad item")], failed);
        Assert.Equal(1, pool.Failures);
    }

    [Fact]
    public async Task On_Linux_the_handler_runs_at_the_configured_nice_value()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // nice values are Linux's
        }

        // Raising the value needs no privilege, so the real setpriority call runs here.
        var observed = int.MinValue;
        var pool = new BackgroundWorkerPool<int>(
            "work", workers: 1, capacity: 1, nice: 7, _ => observed = CurrentThreadNice(), (_, _) => { }, NullLogger.Instance);
        Assert.True(pool.TryPost(0));

        await pool.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(7, observed);
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(1, 0, 0)]
    [InlineData(1, 1, 20)]
    [InlineData(1, 1, -21)]
    public void Invalid_arguments_are_refused(int workers, int capacity, int nice)
    {
        Assert.ThrowsAny<ArgumentException>(() => new BackgroundWorkerPool<int>(
            "work", workers, capacity, nice, _ => { }, (_, _) => { }, NullLogger.Instance));
    }

    private static BackgroundWorkerPool<int> Create(int workers, int capacity, Action<int>? handler = null, int nice = 0, Func<int, int>? setNice = null) =>
        new("work", workers, capacity, nice, handler ?? (_ => { }), (_, _) => { }, NullLogger.Instance, setNice ?? (_ => 0));

    /// <summary>The nice value of the calling thread, from /proc (field 19 of proc_pid_stat(5)).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // from field 3, after the (comm) that may hold spaces
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    private sealed class CountingLogger : ILogger
    {
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Interlocked.Increment(ref _warnings);
            }
        }
    }
}
