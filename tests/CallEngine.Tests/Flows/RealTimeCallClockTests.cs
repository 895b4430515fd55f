using StepAudio.Telephony.CallEngine.Flows;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>The gateway's waits, on a clock that only the test moves: no test here sleeps or depends on the machine's speed.</summary>
public sealed class RealTimeCallClockTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task A_condition_that_holds_returns_at_once()
    {
        var clock = new RealTimeCallClock(_time);

        Assert.True(await clock.WaitAsync(() => true, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_wake_after_the_condition_came_true_ends_the_wait()
    {
        var clock = new RealTimeCallClock(_time);
        var ready = false;
        var waiting = clock.WaitAsync(() => Volatile.Read(ref ready), Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        clock.Wake(); // woken, but not yet true: still waiting
        Volatile.Write(ref ready, true);
        clock.Wake();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_timeout_is_the_given_clocks_not_the_machines()
    {
        var clock = new RealTimeCallClock(_time);
        var waiting = clock.WaitAsync(() => false, TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();

        Assert.True(_time.TryAdvanceToNextTimer()); // the wait armed its timeout on the given clock

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(_time.Now >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancellation_is_an_exception_so_the_flow_can_tell_it_from_a_timeout()
    {
        var clock = new RealTimeCallClock(_time);
        using var cts = new CancellationTokenSource();
        var waiting = clock.WaitAsync(() => false, Timeout.InfiniteTimeSpan, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
