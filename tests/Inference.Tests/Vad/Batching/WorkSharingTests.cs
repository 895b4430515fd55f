using CsCheck;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>
/// Several inference threads: a thread that falls behind hands streams to an idle one before anything is skipped,
/// and a call can always leave, whichever thread holds its stream and whenever it moved.
/// </summary>
/// <remarks>
/// Every wait is on a condition with a generous bound, and every stalled runner is released before the scheduler is
/// disposed (<see cref="Release"/>): disposing joins the inference threads, so a test that failed while a runner was
/// stalled used to hang in its clean-up instead of failing.
/// </remarks>
public sealed class WorkSharingTests
{
    private const int Window = SileroVadModel.WindowSamples;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_stalled_thread_hands_half_its_streams_to_an_idle_one_and_no_window_is_lost_or_reordered()
    {
        ScriptedRunner[] runners = [new(256), new(256)];
        var made = 0;
        var options = new VadOptions { InferenceThreads = 2, MaxLagMs = 1000, SilenceGateDbfs = null };
        using var scheduler = new VadBatchScheduler(_ => runners[made++], options);
        using var release = new Release(runners);

        // Placement is by load: two streams on each thread. Thread 0 stalls in its first run.
        var streams = Enumerable.Range(0, 4).Select(_ => scheduler.Register()).ToArray();
        const int windows = 10; // 320 ms: after the stalled run, more than a quarter of MaxLagMs is pending
        StallThreadZero(scheduler, runners[0], streams, windows);

        // Thread 1 scores its own streams and goes idle; thread 0 is stuck in its first run.
        Assert.True(SpinWait.SpinUntil(() => runners[1].BatchSizes.Sum() == 2 * windows && scheduler.Workers[1].IsIdle, Patience), "the free thread did not finish its streams");
        runners[0].Open.Set();

        // Thread 0's next run sees 9 or more windows pending with thread 1 idle: it must hand a stream on.
        Assert.True(SpinWait.SpinUntil(() => scheduler.StreamsShared >= 1, Patience), "the stalled thread shared no stream");

        var results = streams.Select(_ => new List<VadWindowResult>()).ToArray();
        for (var id = 0; id < streams.Length; id++)
        {
            streams[id].Complete();
            streams[id].TakeResults(results[id]);
        }

        Assert.Equal(0, runners[0].Violations + runners[1].Violations);
        for (var id = 0; id < streams.Length; id++)
        {
            Assert.Equal(0, streams[id].WindowsDropped);
            Assert.Equal(
                Enumerable.Range(0, windows).Select(w => (id + 1, (long)w)),
                results[id].Select(r => ScriptedRunner.Decode(r.Probability)));
        }

        Assert.True(runners[1].BatchSizes.Sum() > 2 * windows, "the idle thread scored none of the stalled thread's windows");
        Assert.Equal(4 * windows, runners[0].BatchSizes.Sum() + runners[1].BatchSizes.Sum());
    }

    [Fact]
    public async Task Streams_handed_on_can_leave_without_finishing_and_the_rest_still_finish()
    {
        ScriptedRunner[] runners = [new(256) { StrictState = false }, new(256) { StrictState = false }];
        var made = 0;
        using var scheduler = new VadBatchScheduler(_ => runners[made++], new VadOptions { InferenceThreads = 2, MaxLagMs = 1000, SilenceGateDbfs = null });
        using var release = new Release(runners);
        var streams = Enumerable.Range(0, 6).Select(_ => scheduler.Register()).ToArray();
        StallThreadZero(scheduler, runners[0], streams, 10);
        Assert.True(SpinWait.SpinUntil(() => scheduler.Workers[1].IsIdle && runners[1].BatchSizes.Sum() == 30, Patience));
        runners[0].Open.Set();
        Assert.True(SpinWait.SpinUntil(() => scheduler.StreamsShared >= 1, Patience), "the stalled thread shared no stream");

        // Half leave at once, half finish; each must return whichever thread holds it by now.
        await Task.Run(() =>
        {
            for (var id = 0; id < streams.Length; id++)
            {
                if (id % 2 == 0)
                {
                    streams[id].Dispose();
                }
                else
                {
                    streams[id].Complete();
                }
            }
        }).WaitAsync(Patience);

        Assert.True(SpinWait.SpinUntil(() => scheduler.Workers.All(w => w.StreamCount == 0), Patience), "a stream stayed registered");
    }

    /// <summary>
    /// Random schedules of writes, stalls and leaving on 2–3 threads with a backlog bound so short that sharing
    /// happens at every run (MaxLagMs 128: a quarter is one window), so hand-overs cross writes, removals and
    /// each other. Every call leaves within the bound, and a finished call has one result per written window, in
    /// order: its own code or a window skipped as overdue.
    /// </summary>
    [Fact]
    public void Under_random_schedules_every_call_leaves_and_every_window_gets_one_result_in_order()
    {
        var gen =
            from threads in Gen.Int[2, 3]
            from streams in Gen.Int[2, 8]
            from rounds in Gen.Int[1, 12]
            from stalls in Gen.Int[0, 2].Array[rounds] // per round: which thread stalls while the calls write (2 of 2: none)
            from finishes in Gen.Bool.Array[streams]
            from leaveAt in Gen.Int[0, 12].Array[streams]
            select (threads, streams, rounds, stalls, finishes, leaveAt);

        gen.Sample(s => RunSchedule(s.threads, s.streams, s.rounds, s.stalls, s.finishes, s.leaveAt), iter: 40, threads: 1);
    }

    private static void RunSchedule(int threads, int streamCount, int rounds, int[] stalls, bool[] finishes, int[] leaveAt)
    {
        var runners = Enumerable.Range(0, threads).Select(_ => new ScriptedRunner(4) { StrictState = false }).ToArray();
        var made = 0;
        using var scheduler = new VadBatchScheduler(_ => runners[made++], new VadOptions { InferenceThreads = threads, MaxBatchSize = 4, MaxLagMs = 128, SilenceGateDbfs = null });
        using var release = new Release(runners);
        var streams = Enumerable.Range(0, streamCount).Select(_ => scheduler.Register()).ToArray();
        var written = new int[streamCount];
        var left = new bool[streamCount];
        var results = streams.Select(_ => new List<VadWindowResult>()).ToArray();

        var body = Task.Run(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                for (var t = 0; t < threads; t++)
                {
                    if (stalls[round] == t)
                    {
                        runners[t].Open.Reset();
                    }
                    else
                    {
                        runners[t].Open.Set();
                    }
                }

                for (var id = 0; id < streamCount; id++)
                {
                    if (!left[id] && leaveAt[id] != round)
                    {
                        streams[id].Write(Coded(id + 1, written[id]++));
                        streams[id].Write(Coded(id + 1, written[id]++));
                    }
                }

                // A call leaves while the stalled thread catches up and hands streams on (leaving waits for the
                // thread that holds the stream, so none may stay stalled).
                foreach (var runner in runners)
                {
                    runner.Open.Set();
                }

                for (var id = 0; id < streamCount; id++)
                {
                    if (!left[id] && leaveAt[id] == round)
                    {
                        Leave(id);
                    }
                }
            }

            foreach (var runner in runners)
            {
                runner.Open.Set();
            }

            for (var id = 0; id < streamCount; id++)
            {
                if (!left[id])
                {
                    Leave(id);
                }
            }
        });

        void Leave(int id)
        {
            left[id] = true;
            if (finishes[id])
            {
                streams[id].Complete();
                streams[id].TakeResults(results[id]);
            }
            else
            {
                streams[id].Dispose();
            }
        }

        Assert.True(body.Wait(Patience), "a call could not leave (lost hand-over or removal)");
        Assert.Equal(0, runners.Sum(r => r.Violations));
        Assert.True(SpinWait.SpinUntil(() => scheduler.Workers.All(w => w.StreamCount == 0), Patience), "a stream stayed registered");
        for (var id = 0; id < streamCount; id++)
        {
            if (!finishes[id])
            {
                continue;
            }

            Assert.Equal(written[id], results[id].Count);
            for (var w = 0; w < written[id]; w++)
            {
                var result = results[id][w];
                Assert.Equal(w * (long)Window, result.SampleOffset);
                Assert.True(result.Probability == 0f || ScriptedRunner.Decode(result.Probability) == (id + 1, w), $"stream {id + 1} window {w} has another window's score");
            }

            Assert.Equal(written[id] - streams[id].WindowsDropped, results[id].Count(r => r.Probability != 0f));
        }
    }

    /// <summary>
    /// Stalls thread 0 in a run of its first windows, then writes the rest: thread 0 is known busy (not idle) before
    /// thread 1 sees any backlog, so no stream can be handed to thread 0 while it is stuck.
    /// </summary>
    private static void StallThreadZero(VadBatchScheduler scheduler, ScriptedRunner runner, ScheduledVadStream[] streams, int windows)
    {
        runner.Open.Reset();
        for (var id = 0; id < streams.Length; id++)
        {
            if (streams[id].Owner == scheduler.Workers[0])
            {
                streams[id].Write(Coded(id + 1, 0));
            }
        }

        Assert.True(runner.Entered.Wait(Patience));
        for (var w = 0; w < windows; w++)
        {
            for (var id = 0; id < streams.Length; id++)
            {
                if (w > 0 || streams[id].Owner != scheduler.Workers[0])
                {
                    streams[id].Write(Coded(id + 1, w));
                }
            }
        }
    }

    private static float[] Coded(int stream, long window)
    {
        var samples = new float[Window];
        Array.Fill(samples, ScriptedRunner.Code(stream, window));
        return samples;
    }

    /// <summary>Opens every runner: declared after the scheduler, so it runs before the scheduler joins its threads.</summary>
    private sealed class Release(ScriptedRunner[] runners) : IDisposable
    {
        public void Dispose()
        {
            foreach (var runner in runners)
            {
                runner.Open.Set();
            }
        }
    }
}
