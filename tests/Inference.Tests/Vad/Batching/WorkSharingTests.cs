using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>Several inference threads: a thread that falls behind hands streams to an idle one before anything is skipped.</summary>
public sealed class WorkSharingTests
{
    private const int Window = SileroVadModel.WindowSamples;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_stalled_thread_hands_half_its_streams_to_an_idle_one_and_no_window_is_lost_or_reordered()
    {
        ScriptedRunner[] runners = [new(256), new(256)];
        var made = 0;
        var options = new VadOptions { InferenceThreads = 2, MaxLagMs = 1000, SilenceGateDbfs = null };
        using var scheduler = new VadBatchScheduler(_ => runners[made++], options);

        // Placement alternates by load: streams 0 and 2 on one thread, 1 and 3 on the other (which is which is not
        // known, so stall both and release them in turn).
        var streams = Enumerable.Range(0, 4).Select(_ => scheduler.Register()).ToArray();
        runners[0].Open.Reset();
        const int windows = 10; // 320 ms each: more than a quarter of MaxLagMs once the stalled run is done
        for (var w = 0; w < windows; w++)
        {
            for (var id = 0; id < streams.Length; id++)
            {
                streams[id].Write(Coded(id + 1, w));
            }
        }

        // The free thread scores its own streams and goes idle; the stalled one is stuck in its first run.
        Assert.True(runners[0].Entered.Wait(Patience));
        Assert.True(SpinWait.SpinUntil(() => runners[1].BatchSizes.Sum() == 2 * windows, Patience), "the free thread did not finish its streams");
        Thread.Sleep(50); // let it reach its idle wait (not a timing assertion: sharing may also happen later)
        runners[0].Open.Set();

        var results = streams.Select(_ => new List<VadWindowResult>()).ToArray();
        for (var id = 0; id < streams.Length; id++)
        {
            streams[id].Complete();
            streams[id].TakeResults(results[id]);
        }

        Assert.Equal(0, runners[0].Violations + runners[1].Violations);
        for (var id = 0; id < streams.Length; id++)
        {
            Assert.Equal(windows, results[id].Count);
            Assert.Equal(0, streams[id].WindowsDropped);
            Assert.Equal(
                Enumerable.Range(0, windows).Select(w => (id + 1, (long)w)),
                results[id].Select(r => ScriptedRunner.Decode(r.Probability)));
        }

        Assert.True(scheduler.StreamsShared >= 1, "the stalled thread shared no stream");
        Assert.True(runners[1].BatchSizes.Sum() > 2 * windows, "the idle thread scored none of the stalled thread's windows");
        Assert.Equal(4 * windows, runners[0].BatchSizes.Sum() + runners[1].BatchSizes.Sum());
    }

    [Fact]
    public async Task A_stream_handed_on_can_still_leave_without_finishing()
    {
        ScriptedRunner[] runners = [new(256) { StrictState = false }, new(256) { StrictState = false }];
        var made = 0;
        using var scheduler = new VadBatchScheduler(_ => runners[made++], new VadOptions { InferenceThreads = 2, MaxLagMs = 1000, SilenceGateDbfs = null });
        var streams = Enumerable.Range(0, 6).Select(_ => scheduler.Register()).ToArray();
        runners[0].Open.Reset();
        for (var w = 0; w < 10; w++)
        {
            foreach (var (stream, id) in streams.Select((s, i) => (s, i)))
            {
                stream.Write(Coded(id + 1, w));
            }
        }

        Assert.True(runners[0].Entered.Wait(Patience));
        Thread.Sleep(50);
        runners[0].Open.Set();

        // Disposing must return whichever thread owns the stream by now (a lost removal would hang here).
        var disposing = Task.Run(() =>
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        });
        Assert.Same(disposing, await Task.WhenAny(disposing, Task.Delay(Patience)));
    }

    private static float[] Coded(int stream, long window)
    {
        var samples = new float[Window];
        Array.Fill(samples, ScriptedRunner.Code(stream, window));
        return samples;
    }
}
