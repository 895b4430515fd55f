using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.SipGateway.Tests.Sip.UserAgent;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Admission;

/// <summary>
/// The overload guard on a manual clock: when it stops admitting (late samples in the sliding window), when one stall is
/// not enough, the hysteresis before it admits again, and one log line per transition. No wall clock anywhere.
/// </summary>
public sealed class OverloadGuardTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingLoggerFactory _logs = new();

    private OverloadGuard Create(AdmissionOptions? options = null) =>
        new(options ?? new AdmissionOptions(), _time, _logs.CreateLogger<OverloadGuard>());

    /// <summary>One sample a second, as the monitor takes them: the cumulative skip counter and the backlog now.</summary>
    private void Sample(OverloadGuard guard, long skippedSoFar, double backlogMs = 20)
    {
        _time.Advance(Second);
        guard.Observe(skippedSoFar, backlogMs);
    }

    [Fact]
    public void A_host_that_keeps_up_is_never_overloaded()
    {
        var guard = Create();
        for (var i = 0; i < 120; i++)
        {
            Sample(guard, 0, backlogMs: 60);
        }

        Assert.False(guard.IsOverloaded);
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void Skips_counted_before_the_first_sample_are_not_this_window_s()
    {
        var guard = Create();
        guard.Observe(50_000, 0); // the counter's value when the guard starts
        Sample(guard, 50_000);
        Sample(guard, 50_000);
        Assert.False(guard.IsOverloaded);
    }

    [Fact]
    public void One_stall_does_not_refuse_calls_but_skips_in_two_samples_of_the_window_do()
    {
        var guard = Create(); // 2 late samples in 5 s
        guard.Observe(0, 0);
        Sample(guard, 900); // one stall: 900 windows at once
        Sample(guard, 900);
        Sample(guard, 900);
        Assert.False(guard.IsOverloaded);

        Sample(guard, 910); // a second late sample, 3 s after the first: within the 5 s window
        Assert.True(guard.IsOverloaded);
        Assert.Contains("overloaded since", guard.Detail, StringComparison.Ordinal);
        var line = Assert.Single(_logs.Lines);
        Assert.StartsWith("Overloaded: 2 late samples in the last 5 s (910 VAD windows skipped", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_skipped_windows_in_a_sample_are_a_straggler_not_an_overload()
    {
        var guard = Create(); // SkippedWindows 10
        guard.Observe(0, 0);
        long skipped = 0;
        for (var i = 0; i < 30; i++)
        {
            skipped += 9;
            Sample(guard, skipped);
        }

        Assert.False(guard.IsOverloaded);
        Sample(guard, skipped + 10);
        Sample(guard, skipped + 20);
        Assert.True(guard.IsOverloaded);
    }

    [Fact]
    public void Late_samples_further_apart_than_the_window_are_transients()
    {
        var guard = Create();
        guard.Observe(0, 0);
        long skipped = 0;
        for (var i = 0; i < 60; i++)
        {
            // A stall every 6 s: never two in one 5 s window.
            skipped += i % 6 == 0 ? 100 : 0;
            Sample(guard, skipped);
        }

        Assert.False(guard.IsOverloaded);
    }

    [Fact]
    public void A_sustained_backlog_counts_before_any_window_is_skipped_unless_BacklogMs_is_0()
    {
        var watching = Create();
        var ignoring = Create(new AdmissionOptions { BacklogMs = 0 });
        foreach (var guard in new[] { watching, ignoring })
        {
            guard.Observe(0, 0);
            Sample(guard, 0, backlogMs: 300);
            Sample(guard, 0, backlogMs: 320);
        }

        Assert.True(watching.IsOverloaded);
        Assert.False(ignoring.IsOverloaded);
    }

    [Fact]
    public void Inference_threads_busy_past_BusyFraction_count_before_any_backlog_or_skip_unless_it_is_0()
    {
        var watching = Create(); // BusyFraction 0.75
        var ignoring = Create(new AdmissionOptions { BusyFraction = 0 });
        foreach (var guard in new[] { watching, ignoring })
        {
            var busy = TimeSpan.Zero;
            guard.Observe(0, 0, busy, threads: 2);

            // 60 s at 60 % on each of two threads (1.2 thread-seconds a second): kept up, never late.
            for (var i = 0; i < 60; i++)
            {
                busy += TimeSpan.FromSeconds(1.2);
                _time.Advance(Second);
                guard.Observe(0, 20, busy, threads: 2);
            }

            Assert.False(guard.IsOverloaded);
            Assert.Equal(0.6, guard.LastBusyFraction, 3);

            // Then 80 %: no window skipped, the backlog still small, yet two such samples are an overload.
            for (var i = 0; i < 2; i++)
            {
                busy += TimeSpan.FromSeconds(1.6);
                _time.Advance(Second);
                guard.Observe(0, 20, busy, threads: 2);
            }

            Assert.Equal(0.8, guard.LastBusyFraction, 3);
        }

        Assert.True(watching.IsOverloaded);
        Assert.False(ignoring.IsOverloaded);
        Assert.Contains("80", Assert.Single(_logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Busy_time_before_the_first_sample_or_with_no_threads_is_not_counted()
    {
        var guard = Create();
        guard.Observe(0, 0, TimeSpan.FromHours(1), threads: 2); // the counter's value when the guard starts
        _time.Advance(Second);
        guard.Observe(0, 0, TimeSpan.FromHours(1), threads: 2);
        Assert.Equal(0, guard.LastBusyFraction);
        _time.Advance(Second);
        guard.Observe(0, 0, TimeSpan.FromHours(2), threads: 0); // inline inference: no busy signal
        _time.Advance(Second);
        guard.Observe(0, 0, TimeSpan.FromHours(3), threads: 0);
        Assert.Equal(0, guard.LastBusyFraction);
        Assert.False(guard.IsOverloaded);
    }

    [Fact]
    public void Capacity_is_projected_from_the_calls_and_the_busy_share_of_the_last_sample()
    {
        var guard = Create(); // BusyFraction 0.75, ProjectFromBusy 0.5, ProjectFromCalls 20
        var calls = 0;
        guard.CountCallsWith(() => calls);
        var busy = TimeSpan.Zero;
        guard.Observe(0, 0, busy, threads: 2);

        // 300 calls keep two threads 60 % busy: 300 × 0.75 / 0.6 = 375 calls fit.
        calls = 300;
        busy += TimeSpan.FromSeconds(1.2);
        _time.Advance(Second);
        guard.Observe(0, 20, busy, threads: 2);
        Assert.False(guard.IsOverloaded);
        Assert.False(guard.IsAtProjectedCapacity(374));
        Assert.True(guard.IsAtProjectedCapacity(375));

        // Calls that end make room again: the projection is from the last sample, the count is the one now.
        calls = 200;
        busy += TimeSpan.FromSeconds(0.8);
        _time.Advance(Second);
        guard.Observe(0, 20, busy, threads: 2);
        Assert.False(guard.IsAtProjectedCapacity(374));
    }

    [Theory]
    [InlineData(0.4, 300, 0.5)] // the threads' fixed cost would make calls look dear
    [InlineData(0.6, 19, 0.5)] // too few calls to tell what one costs
    [InlineData(0.6, 300, 0)] // projection off
    public void No_projection_below_ProjectFromBusy_or_ProjectFromCalls_or_when_off(double busyShare, int callsAtSample, double projectFromBusy)
    {
        var guard = Create(new AdmissionOptions { ProjectFromBusy = projectFromBusy });
        guard.CountCallsWith(() => callsAtSample);
        guard.Observe(0, 0, TimeSpan.Zero, threads: 1);
        _time.Advance(Second);
        guard.Observe(0, 20, TimeSpan.FromSeconds(busyShare), threads: 1);
        Assert.False(guard.IsAtProjectedCapacity(100_000));
    }

    [Fact]
    public void It_admits_again_only_after_ClearFor_without_a_late_sample_and_logs_each_transition_once()
    {
        var guard = Create(new AdmissionOptions { ClearFor = TimeSpan.FromSeconds(10) });
        guard.Observe(0, 0);
        Sample(guard, 10);
        Sample(guard, 20);
        Assert.True(guard.IsOverloaded);
        guard.OnRefused();
        guard.OnRefused();

        // 9 clean seconds, then one more late sample: the 10 s start again from it.
        for (var i = 0; i < 9; i++)
        {
            Sample(guard, 20);
        }

        Sample(guard, 31);
        for (var i = 0; i < 9; i++)
        {
            Sample(guard, 31);
            Assert.True(guard.IsOverloaded, $"left after {i + 1} clean seconds");
        }

        Sample(guard, 31); // 10 s clean
        Assert.False(guard.IsOverloaded);
        Assert.Equal(2, _logs.Lines.Count);
        Assert.StartsWith("Overload over after 20 s (2 new calls refused meanwhile)", _logs.Lines[1], StringComparison.Ordinal);
        Assert.Contains("refused 2 calls", guard.Detail, StringComparison.Ordinal);

        // The window starts empty again: one late sample after leaving is not a new overload.
        Sample(guard, 41);
        Assert.False(guard.IsOverloaded);
        Sample(guard, 51);
        Assert.True(guard.IsOverloaded);
        Assert.Equal(3, _logs.Lines.Count);
    }

    [Theory]
    [InlineData(0, 5, 2, 250)] // no sample interval
    [InlineData(2, 1, 1, 250)] // window shorter than a sample
    [InlineData(1, 5, 6, 250)] // more late samples than fit in the window
    [InlineData(1, 5, 0, 250)]
    [InlineData(1, 5, 2, -1)]
    [InlineData(1, 5, 2, 250, 0)] // a sample with no skip at all would be late
    [InlineData(1, 5, 2, 250, 10, 1.5)] // busier than every thread all the time
    [InlineData(1, 5, 2, 250, 10, -0.1)]
    [InlineData(1, 5, 2, 250, 10, 0.75, 1.1)]
    [InlineData(1, 5, 2, 250, 10, 0.75, 0.5, 0)]
    public void Options_it_cannot_work_with_are_refused(int sampleSeconds, int windowSeconds, int lateSamples, int backlogMs, int skippedWindows = 10, double busyFraction = 0.75, double projectFromBusy = 0.5, int projectFromCalls = 20)
    {
        var options = new AdmissionOptions
        {
            SampleInterval = TimeSpan.FromSeconds(sampleSeconds),
            Window = TimeSpan.FromSeconds(windowSeconds),
            LateSamples = lateSamples,
            BacklogMs = backlogMs,
            SkippedWindows = skippedWindows,
            BusyFraction = busyFraction,
            ProjectFromBusy = projectFromBusy,
            ProjectFromCalls = projectFromCalls,
        };
        Assert.Throws<ArgumentException>(() => Create(options));
    }
}
