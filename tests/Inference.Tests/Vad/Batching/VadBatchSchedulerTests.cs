using System.Diagnostics;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>Routing, ordering, state isolation, deadlines and membership, on a scripted runner (no model).</summary>
public sealed class VadBatchSchedulerTests
{
    private const int Window = SileroVadModel.WindowSamples;
    private const int Packet = 320; // 20 ms at 16 kHz: does not divide the window, as on a real call
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Each_stream_gets_its_windows_in_order_with_its_own_state_as_streams_join_and_leave()
    {
        var runner = new ScriptedRunner(256);

        // The loop writes 2.4 s of audio per stream far faster than real time; a backlog bound of that much keeps a
        // descheduled inference thread (a busy CI machine) from turning this routing test into a deadline test.
        using var scheduler = Create(runner, maxLagMs: 10_000);
        var streams = new Dictionary<int, (ScheduledVadStream Stream, long Written)>();
        var results = new Dictionary<int, List<VadWindowResult>>();
        for (var id = 1; id <= 3; id++)
        {
            streams[id] = (scheduler.Register(), 0);
            results[id] = [];
        }

        for (var step = 0; step < 120; step++)
        {
            if (step == 40)
            {
                streams[4] = (scheduler.Register(), 0); // joins mid-run
                results[4] = [];
            }

            if (step == 60)
            {
                streams[2].Stream.Complete(); // leaves mid-run, after its written windows are scored
                streams[2].Stream.TakeResults(results[2]);
                streams.Remove(2);
            }

            foreach (var id in streams.Keys.ToList())
            {
                var (stream, written) = streams[id];
                stream.Write(CodedAudio(id, written, Packet));
                streams[id] = (stream, written + Packet);
                stream.TakeResults(results[id]);
            }

            Thread.Yield();
        }

        foreach (var (id, (stream, _)) in streams)
        {
            stream.Complete();
            stream.TakeResults(results[id]);
        }

        Assert.Equal(0, runner.Violations);
        Assert.Equal(60 * Packet / Window, results[2].Count);
        Assert.Equal(80 * Packet / Window, results[4].Count);
        foreach (var (id, list) in results)
        {
            Assert.NotEmpty(list);
            for (var w = 0; w < list.Count; w++)
            {
                Assert.Equal(w * (long)Window, list[w].SampleOffset);
                Assert.Equal((id, (long)w), ScriptedRunner.Decode(list[w].Probability));
            }
        }
    }

    [Fact]
    public void Work_that_piles_up_during_a_run_is_scored_together_in_the_next_one()
    {
        var runner = new ScriptedRunner(256);
        using var scheduler = Create(runner);
        runner.Open.Reset();
        var streams = Enumerable.Range(0, 50).Select(_ => scheduler.Register()).ToArray();
        streams[0].Write(CodedAudio(0, 0, Window));
        Assert.True(runner.Entered.Wait(Patience), "the first window must start a run without waiting for a batch to fill");

        // While the first run is held, every stream gets two windows: the next run must take one from each.
        for (var id = 0; id < streams.Length; id++)
        {
            var from = id == 0 ? Window : 0;
            streams[id].Write(CodedAudio(id, from, (2 * Window) - from));
        }

        runner.Open.Set();
        foreach (var stream in streams)
        {
            stream.Complete();
        }

        Assert.Equal(0, runner.Violations);
        var sizes = runner.BatchSizes;
        Assert.Equal(1, sizes[0]);
        Assert.Equal(50, sizes[1]);
        Assert.Equal(100, sizes.Sum());
    }

    [Fact]
    public void Batches_never_exceed_MaxBatchSize_and_every_stream_is_served()
    {
        var runner = new ScriptedRunner(8);
        using var scheduler = Create(runner, maxBatchSize: 8);
        runner.Open.Reset();
        var streams = Enumerable.Range(0, 30).Select(_ => scheduler.Register()).ToArray();
        for (var id = 0; id < streams.Length; id++)
        {
            streams[id].Write(CodedAudio(id, 0, 3 * Window));
        }

        runner.Open.Set();
        var results = new List<VadWindowResult>();
        for (var id = 0; id < streams.Length; id++)
        {
            streams[id].Complete();
            results.Clear();
            streams[id].TakeResults(results);
            Assert.Equal([(id, 0L), (id, 1L), (id, 2L)], results.Select(r => ScriptedRunner.Decode(r.Probability)));
        }

        Assert.Equal(0, runner.Violations);
        Assert.All(runner.BatchSizes, size => Assert.InRange(size, 1, 8));
    }

    [Fact]
    public void Windows_older_than_MaxLagMs_are_dropped_as_non_speech_and_later_timestamps_stay_right()
    {
        const int maxLagMs = 200;
        var runner = new ScriptedRunner(256) { StrictState = false };
        using var scheduler = Create(runner, maxLagMs: maxLagMs);
        var stream = scheduler.Register();
        runner.Open.Reset();
        stream.Write(CodedAudio(0, 0, Window));
        Assert.True(runner.Entered.Wait(Patience));
        var stalledFrom = Stopwatch.GetTimestamp();

        // One run stalls while three seconds of audio arrive (a slow run, or an overloaded host).
        const int windows = 94; // 3.0 s
        for (long w = 1; w < windows; w++)
        {
            stream.Write(CodedAudio(0, w * Window, Window));
        }

        var stalledFor = Stopwatch.GetElapsedTime(stalledFrom);
        runner.Open.Set();
        stream.Complete();
        var results = new List<VadWindowResult>();
        stream.TakeResults(results);

        Assert.Equal(0, runner.Violations);
        Assert.Equal(windows, results.Count);
        Assert.Equal(Enumerable.Range(0, windows).Select(w => w * (long)Window), results.Select(r => r.SampleOffset));
        var dropped = results.Count(r => r.Probability == 0f);
        Assert.Equal(dropped, stream.WindowsDropped);
        // The neutral lateness signal the gateway's admission guard samples counts the same windows.
        Assert.Equal(dropped, ((IInferenceLateness)scheduler).WindowsSkipped);
        // The stalled run counts as busy time of the one thread, at least for as long as it was seen stalled.
        Assert.Equal(1, ((IInferenceLateness)scheduler).Threads);
        Assert.True(((IInferenceLateness)scheduler).BusyTime >= stalledFor, $"busy {((IInferenceLateness)scheduler).BusyTime} < stalled {stalledFor}");

        // Only about MaxLagMs of the backlog is still worth scoring; the rest, the oldest, is given up.
        var lagWindows = maxLagMs * 16 / Window;
        Assert.InRange(windows - 1 - dropped, lagWindows - 1, lagWindows + 3);
        var scored = results.Where(r => r.Probability != 0f).Select(r => ScriptedRunner.Decode(r.Probability).Window).ToList();
        Assert.Equal(0, scored[0]);
        Assert.Equal(windows - 1, scored[^1]);
        Assert.Equal(scored.Order(), scored);
        Assert.True(scored.Skip(1).All(w => w > windows - lagWindows - 6), "the scored backlog must be the newest audio");
    }

    [Fact]
    public void Writing_never_allocates_and_the_backlog_stays_bounded_while_inference_is_stalled()
    {
        var runner = new ScriptedRunner(256) { StrictState = false };
        using var scheduler = Create(runner, maxLagMs: 500);
        var stream = scheduler.Register();
        runner.Open.Reset();
        var packet = CodedAudio(0, 0, Packet);
        stream.Write(CodedAudio(0, 0, Window));
        Assert.True(runner.Entered.Wait(Patience));
        stream.Write(packet); // warm up

        // One minute of audio against a stalled inference thread, in three rounds of 20 s. The runtime may allocate once
        // on this thread while it runs (752 bytes once in a fresh-clone CI run); an allocation per packet would show in
        // every round.
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                stream.Write(packet);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        runner.Open.Set();
        stream.Complete();
        var results = new List<VadWindowResult>();
        stream.TakeResults(results);

        Assert.True(rounds.Min() == 0, $"every round allocated ({string.Join(", ", rounds)} bytes): writing allocates per packet");
        Assert.Equal(((3001L * Packet) + Window) / Window, results.Count);
        Assert.InRange(results.Count(r => r.Probability != 0f), 2, 3 + (500 * 16 / Window));
        Assert.InRange(stream.Vad.PendingSamples, 0, Window - 1);
    }

    [Fact]
    public void Streams_register_and_leave_from_many_threads_at_once()
    {
        var runner = new ScriptedRunner(64);
        using var scheduler = Create(runner, maxBatchSize: 64);
        var failures = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, id =>
        {
            var stream = scheduler.Register();
            for (var w = 0; w < 4; w++)
            {
                stream.Write(CodedAudio(id, w * Window, Window));
            }

            var results = new List<VadWindowResult>();
            if (id % 2 == 0)
            {
                stream.Complete();
                stream.TakeResults(results);
                if (results.Count != 4 || results.Select((r, w) => ScriptedRunner.Decode(r.Probability) != (id, w)).Any(bad => bad))
                {
                    Interlocked.Increment(ref failures);
                }
            }
            else
            {
                stream.Dispose();
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(0, runner.Violations);

        // The thread is still serving after all that churn.
        var late = scheduler.Register();
        late.Write(CodedAudio(7, 0, Window));
        late.Complete();
        var last = new List<VadWindowResult>();
        late.TakeResults(last);
        Assert.Equal((7, 0L), ScriptedRunner.Decode(Assert.Single(last).Probability));
    }

    [Fact]
    public async Task The_backlog_signal_reports_unscored_audio_and_falls_to_zero_once_nothing_waits()
    {
        var runner = new ScriptedRunner(16);
        using var scheduler = Create(runner, maxBatchSize: 16);
        var stream = scheduler.Register();
        runner.Open.Reset();
        stream.Write(CodedAudio(0, 0, 4 * Window));
        Assert.True(runner.Entered.Wait(Patience));

        // The run in progress was gathered with whole windows waiting: the backlog is at least one window (32 ms).
        Assert.True(scheduler.BacklogMs >= 32, $"backlog {scheduler.BacklogMs} ms");
        runner.Open.Set();
        stream.Complete();

        // A thread with nothing to run reports no backlog, or an idle host would look overloaded forever.
        await Eventually.TrueAsync(() => scheduler.BacklogMs == 0, TimeSpan.FromSeconds(60));
        Assert.Equal(0, scheduler.WindowsSkipped);
    }

    [Fact]
    public async Task Leaving_after_the_scheduler_stopped_does_not_hang()
    {
        var runner = new ScriptedRunner(4);
        var scheduler = Create(runner, maxBatchSize: 4);
        var stream = scheduler.Register();
        stream.Write(CodedAudio(0, 0, Window));
        scheduler.Dispose();

        // Complete must return once the inference thread is gone (WaitAsync throws TimeoutException otherwise).
        await Task.Run(stream.Complete).WaitAsync(Patience);
        Assert.Throws<ObjectDisposedException>(scheduler.Register);
    }

    [Fact]
    public async Task Failing_runs_neither_stop_the_thread_nor_keep_a_call_from_ending()
    {
        var runner = new ScriptedRunner(16) { Fail = true };
        using var scheduler = Create(runner, maxBatchSize: 16);
        var failing = scheduler.Register();
        failing.Write(CodedAudio(0, 0, 3 * Window));
        Assert.True(runner.Entered.Wait(Patience));

        // Ending the call gives its unscored windows up as non-speech rather than waiting on the model.
        await Task.Run(failing.Complete).WaitAsync(Patience);
        var results = new List<VadWindowResult>();
        failing.TakeResults(results);
        Assert.Equal([0L, 512L, 1024L], results.Select(r => r.SampleOffset));
        Assert.All(results, r => Assert.Equal(0f, r.Probability));
        Assert.Equal(3, failing.WindowsDropped);
        Assert.Equal(3, scheduler.WindowsSkipped);

        runner.Fail = false;
        var healthy = scheduler.Register();
        healthy.Write(CodedAudio(1, 0, Window));
        healthy.Complete();
        results.Clear();
        healthy.TakeResults(results);
        Assert.Equal((1, 0L), ScriptedRunner.Decode(Assert.Single(results).Probability));
    }

    [Fact]
    public async Task A_call_whose_windows_all_have_results_leaves_without_waiting_for_the_inference_thread()
    {
        var runner = new ScriptedRunner(16);
        using var scheduler = Create(runner, maxBatchSize: 16);
        try
        {
            var done = scheduler.Register();
            done.Write(CodedAudio(1, 0, (2 * Window) + 100)); // two whole windows and a partial one
            var results = new List<VadWindowResult>();
            Assert.True(SpinWait.SpinUntil(() => { done.TakeResults(results); return results.Count == 2; }, Patience));

            // The only inference thread is now stuck in another call's run: leaving must not need it.
            runner.Open.Reset();
            var busy = scheduler.Register();
            busy.Write(CodedAudio(2, 0, Window));
            Assert.True(runner.Entered.Wait(Patience));
            await Task.Run(done.Complete).WaitAsync(Patience);
            done.TakeResults(results);
            Assert.Equal([(1, 0L), (1, 1L)], results.Select(r => ScriptedRunner.Decode(r.Probability)));

            // A call with a window still unscored waits for it: its result is there when Complete returns.
            var waiting = Task.Run(busy.Complete);
            runner.Open.Set();
            await waiting.WaitAsync(Patience);
            results.Clear();
            busy.TakeResults(results);
            Assert.Equal((2, 0L), ScriptedRunner.Decode(Assert.Single(results).Probability));
            Assert.Equal(0, runner.Violations);
        }
        finally
        {
            runner.Open.Set(); // the scheduler joins its thread when disposed
        }
    }

    [Fact]
    public void Inline_mode_has_no_threads_and_makes_inline_detectors()
    {
        using var scheduler = new VadBatchScheduler(_ => throw new InvalidOperationException("no runner in inline mode"), new VadOptions { InferenceThreads = 0 });

        Assert.False(scheduler.IsBatching);
        Assert.Throws<InvalidOperationException>(scheduler.Register);
    }

    [Theory]
    [InlineData(-2, 256, 500)]
    [InlineData(65, 256, 500)]
    [InlineData(1, 0, 500)]
    [InlineData(1, 256, 63)]
    public void Invalid_batching_settings_are_refused(int threads, int maxBatchSize, int maxLagMs)
    {
        var options = new VadOptions { InferenceThreads = threads, MaxBatchSize = maxBatchSize, MaxLagMs = maxLagMs };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith("Vad:", error.Message, StringComparison.Ordinal);
    }

    private static VadBatchScheduler Create(ScriptedRunner runner, int maxBatchSize = 256, int maxLagMs = 500) =>
        new(_ => runner, new VadOptions { InferenceThreads = 1, MaxBatchSize = maxBatchSize, MaxLagMs = maxLagMs, SilenceGateDbfs = null });

    /// <summary><paramref name="count"/> samples of stream <paramref name="id"/> from sample <paramref name="from"/> on.</summary>
    private static float[] CodedAudio(int id, long from, int count)
    {
        var samples = new float[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = ScriptedRunner.Code(id, (from + i) / Window);
        }

        return samples;
    }
}
