using System.Globalization;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>
/// <see cref="VadOptions.InferenceThreadNice"/>: the inference threads run at the configured nice value (issue 15: at
/// the default they waited behind other threads for most of the time they needed). The tests raise the value, which
/// any process may do; lowering it needs privileges a test machine may not have.
/// </summary>
public sealed class InferenceThreadNiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_inference_thread_runs_its_batches_at_the_configured_nice_value()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // nice values are Linux's
        }

        var observed = RunOneWindow(nice: 7);

        Assert.Equal(7, observed);
    }

    [Fact]
    public void Zero_leaves_the_thread_at_the_nice_value_it_started_with()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A new thread inherits its creator's value: the worker is made on this thread.
        var expected = CurrentThreadNice();

        var observed = RunOneWindow(nice: 0);

        Assert.Equal(expected, observed);
    }

    [Theory]
    [InlineData(-21)]
    [InlineData(20)]
    public void A_value_outside_minus_20_to_19_is_refused(int nice)
    {
        var error = Assert.Throws<ArgumentException>(new VadOptions { InferenceThreadNice = nice }.Validate);
        Assert.StartsWith("Vad:InferenceThreadNice", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs one window through a one-thread scheduler and returns the nice value its run saw.</summary>
    private static int RunOneWindow(int nice)
    {
        var runner = new NiceProbeRunner();
        var options = new VadOptions { InferenceThreads = 1, InferenceThreadNice = nice, SilenceGateDbfs = null };
        using var scheduler = new VadBatchScheduler(_ => runner, options);
        using var stream = scheduler.Register();
        stream.Write(new float[SileroVadModel.WindowSamples]);
        var results = new List<VadWindowResult>();
        Assert.True(
            SpinWait.SpinUntil(() => { stream.TakeResults(results); return results.Count == 1; }, Patience),
            "the window must be scored");
        return runner.ObservedNice;
    }

    /// <summary>The nice value of the calling thread, from /proc (field 19 of proc_pid_stat(5)).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // from field 3, after the (comm) that may hold spaces
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>A runner that notes the nice value of the thread that runs it and scores every window 0.</summary>
    private sealed class NiceProbeRunner : IVadBatchRunner
    {
        private readonly float[] _input = new float[SileroRate.Wideband.InputSamples];
        private readonly float[] _state = new float[SileroVadModel.StateSamplesPerStream];
        private readonly float[] _probabilities = new float[1];
        private volatile int _observedNice = int.MinValue;

        public int ObservedNice => _observedNice;

        public int MaxBatchSize => 1;

        public SileroRate Rate => SileroRate.Wideband;

        public Span<float> Input => _input;

        public Span<float> State => _state;

        public ReadOnlySpan<float> NextState => _state;

        public ReadOnlySpan<float> Probabilities => _probabilities;

        public void Run(int batchSize) => _observedNice = CurrentThreadNice();

        public void Dispose()
        {
        }
    }
}
