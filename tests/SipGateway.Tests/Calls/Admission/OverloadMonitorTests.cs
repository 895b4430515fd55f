using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Vad.Batching;
using StepAudio.Telephony.SipGateway.Calls.Admission;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Admission;

/// <summary>The monitor feeds the guard one sample per Admission:SampleInterval of the injected clock, and none once stopped.</summary>
public sealed class OverloadMonitorTests
{
    [Fact]
    public async Task It_samples_the_lateness_on_the_clock_and_stops_sampling_when_stopped()
    {
        var time = new ManualTimeProvider();
        var options = new AdmissionOptions();
        var guard = new OverloadGuard(options, time, NullLogger<OverloadGuard>.Instance);
        var lateness = new SettableLateness { WindowsSkipped = 5_000 }; // skipped before start: not counted
        using var monitor = new OverloadMonitor(guard, lateness, options, time);
        await monitor.StartAsync(CancellationToken.None);

        lateness.WindowsSkipped += 100;
        time.Advance(options.SampleInterval);
        Assert.False(guard.IsOverloaded); // one late sample
        lateness.WindowsSkipped += 100;
        time.Advance(options.SampleInterval);
        Assert.True(guard.IsOverloaded); // the second, one interval later: the timer was re-armed

        await monitor.StopAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30)); // clean long enough to leave, were it still sampling
        Assert.True(guard.IsOverloaded);
        Assert.Equal(0, time.ArmedTimers);
    }

    [Fact]
    public async Task It_hands_the_guard_how_busy_the_inference_threads_were()
    {
        var time = new ManualTimeProvider();
        var options = new AdmissionOptions();
        var guard = new OverloadGuard(options, time, NullLogger<OverloadGuard>.Instance);
        var lateness = new SettableLateness { BusyTime = TimeSpan.FromMinutes(10), Threads = 4 }; // before start: not counted
        using var monitor = new OverloadMonitor(guard, lateness, options, time);
        await monitor.StartAsync(CancellationToken.None);

        lateness.BusyTime += options.SampleInterval * 2; // two of four threads' worth
        time.Advance(options.SampleInterval);
        Assert.Equal(0.5, guard.LastBusyFraction, 3);
        lateness.BusyTime += options.SampleInterval * 3.6;
        time.Advance(options.SampleInterval);
        lateness.BusyTime += options.SampleInterval * 3.6;
        time.Advance(options.SampleInterval);
        Assert.Equal(0.9, guard.LastBusyFraction, 3);
        Assert.True(guard.IsOverloaded);
        await monitor.StopAsync(CancellationToken.None);
    }

    private sealed class SettableLateness : IInferenceLateness
    {
        public long WindowsSkipped { get; set; }

        public double BacklogMs { get; set; }

        public TimeSpan BusyTime { get; set; }

        public int Threads { get; set; }
    }
}
