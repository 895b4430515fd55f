using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using StepAudio.Telephony.Inference.Onnx;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Benchmarks.VadCapacity;

/// <summary>
/// How many real-time 32 ms streams one process scores at a given batch size, two ways on the same model file and
/// execution provider: through the gateway's own scheduler (<see cref="VadBatchScheduler"/>: staging, gather, state
/// copies, I/O binding on pinned buffers) with every stream kept a few windows ahead, and a bare ONNX Runtime loop
/// (<c>InferenceSession.Run</c> on preallocated tensors, no scheduler) as the anchor. The ratio is what the
/// scheduler keeps of what ONNX Runtime can do. Prints one <c>RESULT</c> line per batch size.
/// </summary>
internal static class VadCapacityBenchmark
{
    public const string CommandName = "vad-capacity";

    private const double WindowSeconds = SileroVadModel.WindowSamples / (double)SileroVadModel.SampleRate;
    private const int Ahead = 3; // windows each stream keeps staged, so a gather always finds every stream ready
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static int Run(VadCapacityArguments arguments)
    {
        var ic = CultureInfo.InvariantCulture;
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var log = loggerFactory.CreateLogger("vad-capacity");
        var options = new VadOptions
        {
            ModelPath = arguments.ModelPath,
            ExecutionProvider = arguments.Provider,
            FailIfProviderUnavailable = arguments.FailIfProviderUnavailable,
            InferenceThreads = arguments.Threads,
            MaxLagMs = 500,
            SilenceGateDbfs = null, // capacity of the model itself: every window runs
        };
        using var model = new SileroVadModel(Options.Create(options), loggerFactory.CreateLogger<SileroVadModel>());
        var audio = Signal(10);
        Console.WriteLine(string.Create(ic,
            $"vad-capacity: provider asked {arguments.Provider}, in use {model.ExecutionProvider}; {arguments.Threads} inference thread(s); {Environment.ProcessorCount} cores; {arguments.Seconds:0.#} s per measurement"));
        foreach (var batch in arguments.Batches)
        {
            var bare = Bare(arguments, batch, log);
            var scheduled = Scheduled(model, options, batch, arguments, audio);
            var ratio = scheduled.Streams / Math.Max(bare.Streams, 1e-9);
            Console.WriteLine(string.Create(ic,
                $"RESULT provider={model.ExecutionProvider} threads={arguments.Threads} batch={batch} scheduler_streams={scheduled.Streams:0} scheduler_mean_batch={scheduled.MeanBatch:0.0} " +
                $"scheduler_cpu_cores={scheduled.CpuCores:0.00} bare_ort_streams={bare.Streams:0} bare_ms_per_run={bare.MillisecondsPerRun:0.000} ratio={ratio:0.00}"));
        }

        return 0;
    }

    /// <summary>The anchor: <c>Threads</c> threads each run batch <paramref name="batch"/> back to back on one session.</summary>
    private static (double Streams, double MillisecondsPerRun) Bare(VadCapacityArguments arguments, int batch, ILogger log)
    {
        using var sessionOptions = OnnxSessionOptionsFactory.Create(
            "bare ORT probe", arguments.Provider, arguments.FailIfProviderUnavailable, 1, log, out _);
        using var session = new InferenceSession(arguments.ModelPath, sessionOptions);
        var runs = new long[arguments.Threads];
        var stop = Stopwatch.StartNew();
        var measureFrom = WarmUp;
        var measureTo = WarmUp + TimeSpan.FromSeconds(arguments.Seconds);
        var threads = Enumerable.Range(0, arguments.Threads).Select(t => new Thread(() =>
        {
            var input = GC.AllocateArray<float>(batch * SileroVadModel.InputSamples, pinned: true);
            var state = GC.AllocateArray<float>(batch * SileroVadModel.StateSamplesPerStream, pinned: true);
            var nextState = GC.AllocateArray<float>(state.Length, pinned: true);
            var output = GC.AllocateArray<float>(batch, pinned: true);
            new Random(t).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = float.IsFinite(input[i]) ? Math.Clamp(input[i], -1f, 1f) : 0f;
            }

            long[] stateShape = [2, batch, SileroVadModel.StateWidth];
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [batch, SileroVadModel.InputSamples]);
            using var stateValue = OrtValue.CreateTensorValueFromMemory(state, stateShape);
            using var rate = OrtValue.CreateTensorValueFromMemory(new long[] { SileroVadModel.SampleRate }, []);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [batch, 1]);
            using var nextValue = OrtValue.CreateTensorValueFromMemory(nextState, stateShape);
            using var runOptions = new RunOptions();
            string[] inputNames = ["input", "state", "sr"];
            string[] outputNames = ["output", "stateN"];
            while (stop.Elapsed < measureTo)
            {
                session.Run(runOptions, inputNames, [inputValue, stateValue, rate], outputNames, [outputValue, nextValue]);
                if (stop.Elapsed >= measureFrom)
                {
                    runs[t]++;
                }
            }
        })
        { IsBackground = true, Name = $"bare-ort-{t}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var total = runs.Sum();
        var streams = total * batch * WindowSeconds / arguments.Seconds;
        return (streams, total == 0 ? double.NaN : arguments.Seconds * 1000 * arguments.Threads / total);
    }

    /// <summary>
    /// The gateway's path: batch × threads streams registered with a scheduler of that many threads and that maximum
    /// batch; feeder threads keep every stream <see cref="Ahead"/> windows ahead (a new window for each result).
    /// </summary>
    private static (double Streams, double MeanBatch, double CpuCores) Scheduled(
        SileroVadModel model, VadOptions baseOptions, int batch, VadCapacityArguments arguments, float[] audio)
    {
        var options = new VadOptions
        {
            ModelPath = baseOptions.ModelPath,
            InferenceThreads = arguments.Threads,
            MaxBatchSize = batch,
            MaxLagMs = baseOptions.MaxLagMs,
            SilenceGateDbfs = null,
        };
        using var scheduler = new VadBatchScheduler(model, Options.Create(options));
        using var batches = new BatchSizeListener();
        var streams = Enumerable.Range(0, batch * arguments.Threads).Select(_ => scheduler.Register()).ToArray();
        var feeders = Math.Clamp(Environment.ProcessorCount - arguments.Threads, 1, 8);
        var counted = new long[feeders];
        var measuring = 0;
        var stop = 0;
        var threads = Enumerable.Range(0, feeders).Select(f => new Thread(() => Feed(f)) { IsBackground = true, Name = $"feeder-{f}" }).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(WarmUp);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        batches.Reset();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        Thread.Sleep(TimeSpan.FromSeconds(arguments.Seconds));
        Volatile.Write(ref measuring, 0);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Volatile.Write(ref stop, 1);
        threads.ForEach(t => t.Join());
        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        return (counted.Sum() * WindowSeconds / wall, batches.Mean, cpu / wall);

        void Feed(int feeder)
        {
            var results = new List<VadWindowResult>(Ahead * 2);
            var offsets = new int[streams.Length];
            for (var i = feeder; i < streams.Length; i += feeders)
            {
                offsets[i] = (int)((long)i * 7919 % (audio.Length - SileroVadModel.WindowSamples));
                for (var k = 0; k < Ahead; k++)
                {
                    Write(i);
                }
            }

            var spin = new SpinWait();
            while (Volatile.Read(ref stop) == 0)
            {
                var progress = 0;
                for (var i = feeder; i < streams.Length; i += feeders)
                {
                    results.Clear();
                    streams[i].TakeResults(results);
                    for (var k = 0; k < results.Count; k++)
                    {
                        Write(i);
                    }

                    progress += results.Count;
                }

                if (Volatile.Read(ref measuring) == 1)
                {
                    counted[feeder] += progress;
                }

                if (progress == 0)
                {
                    spin.SpinOnce();
                }
            }

            void Write(int i)
            {
                streams[i].Write(audio.AsSpan(offsets[i], SileroVadModel.WindowSamples));
                offsets[i] = (offsets[i] + SileroVadModel.WindowSamples) % (audio.Length - SileroVadModel.WindowSamples);
            }
        }
    }

    /// <summary>Speech-like audio without external tools (the GPU host has none): voiced harmonics, syllable rhythm, pauses.</summary>
    private static float[] Signal(int seconds)
    {
        var samples = new float[seconds * SileroVadModel.SampleRate];
        var random = new Random(15);
        double phase = 0;
        for (var n = 0; n < samples.Length; n++)
        {
            var t = n / (double)SileroVadModel.SampleRate;
            var f0 = 120 + (40 * Math.Sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * f0 / SileroVadModel.SampleRate;
            var voiced = 0.0;
            for (var h = 1; h <= 12; h++)
            {
                voiced += Math.Sin(h * phase) / h;
            }

            var syllables = Math.Max(0, Math.Sin(2 * Math.PI * 4 * t));
            var talking = t % 4 < 2.8 ? 1.0 : 0.0;
            samples[n] = (float)((0.15 * voiced * syllables * talking) + (0.003 * ((random.NextDouble() * 2) - 1)));
        }

        return samples;
    }

    /// <summary>Mean of the scheduler's own batch-size histogram.</summary>
    private sealed class BatchSizeListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _sum;
        private long _count;

        public BatchSizeListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name == "stepaudio.vad.batch.size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
            {
                Interlocked.Add(ref _sum, value);
                Interlocked.Increment(ref _count);
            });
            _listener.Start();
        }

        public double Mean => Interlocked.Read(ref _count) == 0 ? 0 : Interlocked.Read(ref _sum) / (double)Interlocked.Read(ref _count);

        public void Reset()
        {
            Interlocked.Exchange(ref _sum, 0);
            Interlocked.Exchange(ref _count, 0);
        }

        public void Dispose() => _listener.Dispose();
    }
}
