using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary><see cref="VadOptions.BatchIntervalMs"/>: a thread that caught up lets other calls' windows join its next run.</summary>
public sealed class BatchIntervalTests
{
    private const int Window = SileroVadModel.WindowSamples;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Windows_that_arrive_within_the_interval_after_a_run_share_the_next_run()
    {
        var runner = new ScriptedRunner(256);

        // A long interval (1 s) so that the two writes below land inside it even on a busy machine.
        using var scheduler = new VadBatchScheduler(
            _ => runner, new VadOptions { InferenceThreads = 1, MaxLagMs = 5_000, BatchIntervalMs = 1_000, SilenceGateDbfs = null });
        var first = scheduler.Register();
        var second = scheduler.Register();
        var results = new List<VadWindowResult>();

        first.Write(ScriptedRunner.CodedAudio(1, 0, Window));
        Assert.True(
            SpinWait.SpinUntil(() => { first.TakeResults(results); return results.Count == 1; }, Patience),
            "a thread idle for longer than the interval runs a new window at once");
        var worker = scheduler.Workers[0];
        Assert.True(SpinWait.SpinUntil(() => worker.IsIdle, Patience), "the thread must have caught up");

        // Without the interval the first of these would wake the thread and run alone.
        second.Write(ScriptedRunner.CodedAudio(2, 0, Window));
        first.Write(ScriptedRunner.CodedAudio(1, Window, Window));
        first.Complete();
        second.Complete();

        Assert.Equal(0, runner.Violations);
        Assert.Equal([1, 2], runner.BatchSizes);
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
