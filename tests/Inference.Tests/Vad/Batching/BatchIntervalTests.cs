using Microsoft.Extensions.Logging.Abstractions;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary><see cref="VadOptions.BatchIntervalMs"/>: a thread that caught up lets other calls' windows join its next run.</summary>
public sealed class BatchIntervalTests
{
    private const int Window = SileroVadModel.WindowSamples;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_thread_that_caught_up_holds_its_next_run_for_the_interval_and_an_idle_one_runs_at_once()
    {
        var runner = new ScriptedRunner(256);

        // An interval far longer than the test (the option allows 1 s; the worker takes any), so that what is observed
        // inside it cannot depend on how busy the machine is. Disposing the worker ends the wait.
        using var worker = new VadBatchWorker(
            _ => runner, maxLagMs: 120_000, gate: null, index: 0, NullLogger.Instance, TimeSpan.FromMinutes(2));
        var first = worker.Register();
        var second = worker.Register();
        var results = new List<VadWindowResult>();

        first.Write(ScriptedRunner.CodedAudio(1, 0, Window));
        Assert.True(
            SpinWait.SpinUntil(() => { first.TakeResults(results); return results.Count == 1; }, Patience),
            "a thread that has not run for longer than the interval runs a new window at once");
        Assert.True(SpinWait.SpinUntil(() => worker.IsIdle, Patience), "the thread must have caught up");

        // Woken by the next window, the thread waits for the windows of its other calls instead of running it alone.
        second.Write(ScriptedRunner.CodedAudio(2, 0, Window));
        Assert.True(SpinWait.SpinUntil(() => worker.IsWaitingForBatch, Patience), "the thread must hold the run back");
        first.Write(ScriptedRunner.CodedAudio(1, Window, Window));

        Assert.True(worker.IsWaitingForBatch);
        Assert.Equal([1], runner.BatchSizes);
        Assert.Equal(0, runner.Violations);
    }

    [Fact]
    public void A_thread_that_caught_up_holds_its_next_run_even_when_windows_arrived_during_the_last()
    {
        var runner = new ScriptedRunner(256);
        using var worker = new VadBatchWorker(
            _ => runner, maxLagMs: 120_000, gate: null, index: 0, NullLogger.Instance, TimeSpan.FromMinutes(2));
        var first = worker.Register();
        var second = worker.Register();

        // The second call's window arrives while the first one's runs: without the wait after a run it would run
        // alone at once, and a thread that gets its core promptly did that all the time (issue 15).
        runner.Open.Reset();
        first.Write(ScriptedRunner.CodedAudio(1, 0, Window));
        Assert.True(runner.Entered.Wait(Patience), "the first window must run");
        second.Write(ScriptedRunner.CodedAudio(2, 0, Window));
        runner.Open.Set();

        Assert.True(SpinWait.SpinUntil(() => worker.IsWaitingForBatch, Patience), "the thread must hold the next run back");
        Assert.Equal([1], runner.BatchSizes);
        Assert.Equal(0, runner.Violations);
    }

    [Fact]
    public void A_thread_that_is_behind_runs_again_at_once_until_it_has_caught_up()
    {
        var runner = new ScriptedRunner(256);

        // Behind: the oldest window a quarter of the backlog bound old or more (64 ms here, two windows).
        using var worker = new VadBatchWorker(
            _ => runner, maxLagMs: 256, gate: null, index: 0, NullLogger.Instance, TimeSpan.FromMinutes(2));
        var stream = worker.Register();
        var results = new List<VadWindowResult>();

        stream.Write(ScriptedRunner.CodedAudio(1, 0, 3 * Window));

        Assert.True(
            SpinWait.SpinUntil(() => { stream.TakeResults(results); return results.Count == 3; }, Patience),
            "three windows (96 ms) must run one after the other without the two-minute interval between them");
        Assert.True(SpinWait.SpinUntil(() => worker.IsWaitingForBatch, Patience), "caught up, the thread holds its next run");
        Assert.Equal([1, 1, 1], runner.BatchSizes);
        Assert.Equal(0, stream.WindowsDropped);
        Assert.Equal(0, runner.Violations);
    }

    [Theory]
    [InlineData(-1, 500)]
    [InlineData(1_001, 5_000)]
    [InlineData(300, 500)]
    public void An_interval_out_of_range_or_over_half_the_backlog_bound_is_refused(int intervalMs, int maxLagMs)
    {
        var options = new VadOptions { BatchIntervalMs = intervalMs, MaxLagMs = maxLagMs };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith("Vad:BatchIntervalMs", error.Message, StringComparison.Ordinal);
    }
}
