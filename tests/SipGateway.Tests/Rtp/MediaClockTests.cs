using System.Diagnostics;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

public sealed class MediaClockTests : IDisposable
{
    private readonly MediaClock _clock = new();

    public void Dispose() => _clock.Dispose();

    [Fact]
    public async Task Timers_fire_in_due_order_whatever_order_they_were_created_in()
    {
        var fired = new List<int>();
        var done = new TaskCompletionSource();
        var due = new List<(int Ms, long Earliest, long Latest)>();
        var timers = new List<ITimer>();
        foreach (var ms in new[] { 60, 20, 40 })
        {
            // A timer is due its delay after it was armed, somewhere between these two readings of the clock. On a
            // loaded machine the thread can be preempted between two creations for longer than the 20 ms between
            // the delays, which changes the true due order: only pairs whose due windows do not overlap are judged.
            var before = _clock.GetTimestamp();
            timers.Add(_clock.CreateTimer(
                _ =>
                {
                    lock (fired)
                    {
                        fired.Add(ms);
                        if (fired.Count == 3)
                        {
                            done.TrySetResult();
                        }
                    }
                },
                null,
                TimeSpan.FromMilliseconds(ms),
                Timeout.InfiniteTimeSpan));
            var after = _clock.GetTimestamp();
            var delay = (long)(ms / 1000.0 * _clock.TimestampFrequency);
            due.Add((ms, before + delay, after + delay));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var a in due)
        {
            foreach (var b in due.Where(b => a.Latest < b.Earliest))
            {
                Assert.True(fired.IndexOf(a.Ms) < fired.IndexOf(b.Ms), $"{a.Ms} ms was due before {b.Ms} ms but fired after it: {string.Join(", ", fired)}");
            }
        }

        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Task_Delay_on_the_clock_is_never_early()
    {
        // Lateness is bounded by the machine's scheduling, which a unit test must not assert on; earliness is a bug.
        for (int i = 0; i < 20; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromMilliseconds(3), _clock);
            Assert.True(Stopwatch.GetElapsedTime(start) >= TimeSpan.FromMilliseconds(3));
        }
    }

    [Fact]
    public async Task A_changed_or_disposed_timer_does_not_fire_for_its_old_schedule()
    {
        int fired = 0;
        var moved = _clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        var disposed = _clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        Assert.True(moved.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        disposed.Dispose();
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));

        await Task.Delay(TimeSpan.FromMilliseconds(100), _clock);
        Assert.Equal(0, Volatile.Read(ref fired));
        moved.Dispose();
    }

    [Fact]
    public async Task A_periodic_timer_keeps_firing_until_disposed()
    {
        int ticks = 0;
        using var periodic = _clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Volatile.Read(ref ticks) < 5)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the periodic timer stopped");
            await Task.Delay(5);
        }

        periodic.Dispose();
        int atDispose = Volatile.Read(ref ticks);
        await Task.Delay(50);
        Assert.InRange(Volatile.Read(ref ticks), atDispose, atDispose + 1); // one tick may already be running
    }

    [Fact]
    public async Task A_throwing_callback_is_counted_and_the_clock_keeps_running()
    {
        using var faulty = _clock.CreateTimer(_ => throw new InvalidOperationException("boom"), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        await Task.Delay(TimeSpan.FromMilliseconds(20), _clock).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, _clock.CallbackFailures);
    }

    [Fact]
    public async Task A_waiter_can_be_reused_and_never_completes_early()
    {
        var waiter = _clock.CreateWaiter();
        long frame = _clock.TimestampFrequency / 500; // 2 ms
        long start = _clock.GetTimestamp();
        for (int n = 1; n <= 25; n++)
        {
            long due = start + (n * frame);
            await waiter.WaitUntilAsync(due).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(_clock.GetTimestamp() >= due, $"wait {n} completed before its due time");
        }
    }

    [Fact]
    public async Task A_wait_already_due_completes_at_once()
    {
        var waiter = _clock.CreateWaiter();
        await waiter.WaitUntilAsync(_clock.GetTimestamp() - _clock.TimestampFrequency).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }
}
