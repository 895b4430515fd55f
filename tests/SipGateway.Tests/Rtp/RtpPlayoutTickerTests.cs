using StepAudio.Telephony.SipGateway.Rtp;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Rtp;

/// <summary>Joining and leaving the shared playout ticker, on a manual clock (no real time).</summary>
public sealed class RtpPlayoutTickerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Sessions_that_joined_are_ticked_until_they_leave_and_one_that_left_before_its_first_tick_never_is()
    {
        var clock = new ManualTimeProvider();
        using var ticker = new RtpPlayoutTicker(clock, Period);
        Counter a = new(), b = new(), c = new(), never = new();
        ticker.Register(a);
        ticker.Register(b);
        ticker.Register(never);
        ticker.Unregister(never);

        clock.Advance(Period);
        Assert.Equal((1, 1, 0), (a.Ticks, b.Ticks, never.Ticks));

        ticker.Unregister(a);
        ticker.Register(c);
        clock.Advance(Period);
        clock.Advance(Period);
        Assert.Equal((1, 3, 2, 0), (a.Ticks, b.Ticks, c.Ticks, never.Ticks));
    }

    [Fact]
    public void The_timer_stops_when_the_last_session_leaves_and_starts_again_for_the_next()
    {
        var clock = new ManualTimeProvider();
        using var ticker = new RtpPlayoutTicker(clock, Period);
        var first = new Counter();
        ticker.Register(first);
        clock.Advance(Period);
        ticker.Unregister(first);
        clock.Advance(Period); // applies the leave and finds nobody: the timer is dropped

        Assert.False(clock.TryAdvanceToNextTimer(), "the ticker kept a timer with no session");
        Assert.Equal(1, first.Ticks);

        var second = new Counter();
        ticker.Register(second);
        clock.Advance(Period);
        Assert.Equal((1, 1), (first.Ticks, second.Ticks));
    }

    [Fact]
    public void A_session_that_leaves_and_joins_again_before_a_tick_is_ticked_once_per_tick()
    {
        var clock = new ManualTimeProvider();
        using var ticker = new RtpPlayoutTicker(clock, Period);
        var session = new Counter();
        ticker.Register(session);
        clock.Advance(Period);
        ticker.Unregister(session);
        ticker.Register(session);
        clock.Advance(Period);

        Assert.Equal(2, session.Ticks);
    }

    private sealed class Counter : IRtpPlayoutClient
    {
        public int Ticks { get; private set; }

        public void OnPlayoutTick() => Ticks++;
    }
}
