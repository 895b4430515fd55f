using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Benchmarks.VadStreams;

/// <summary>
/// N simulated calls each feed 20 ms of real speech (espeak-ng) every 20 ms, in real time, through the batching
/// scheduler on one inference thread, as the gateway's receive path does; prints whether the thread kept up, its
/// busy share, batch sizes, run times, drops and memory per stream. Pin it (<c>taskset -c 0</c>) to measure one core.
/// <c>--rate 8000</c> feeds the same speech at 8 kHz in 160-sample packets, as a narrowband call's VAD runs.
/// </summary>
internal static class VadStreamsBenchmark
{
    public const string CommandName = "vad-streams";

    private const int Phases = 20; // packet arrival times spread over each 20 ms, 1 ms apart
    private static readonly TimeSpan PacketInterval = TimeSpan.FromMilliseconds(20);

    public static int Run(VadStreamsArguments arguments)
    {
        var ic = CultureInfo.InvariantCulture;
        var rate = SileroRate.Of(arguments.SampleRate);
        var packet = rate.SamplesPerMs * 20; // 20 ms
        var speech = MakeSpeech(rate.SampleRate);
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var options = new VadOptions
        {
            ModelPath = arguments.ModelPath,
            ExecutionProvider = arguments.Provider,
            SilenceGateDbfs = arguments.SilenceGateDbfs,
            InferenceThreads = 1,
            MaxBatchSize = arguments.MaxBatchSize,
            MaxLagMs = arguments.MaxLagMs,
            BatchIntervalMs = arguments.BatchIntervalMs,
        };
        using var model = new SileroVadModel(Options.Create(options), loggerFactory.CreateLogger<SileroVadModel>());
        using var scheduler = new VadBatchScheduler(model, Options.Create(options), loggerFactory.CreateLogger<VadBatchScheduler>());
        using var recorder = new Recorder();

        var gcBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = RssBytes();
        var offsets = new int[arguments.Streams];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = (int)((long)i * 7919 * packet % (speech.Length - packet)); // calls are not in step
        }

        var calls = arguments.Analysis ? new CallAnalysisLoad(scheduler.CreateDetector, speech, speech.Length - packet, offsets) : null;
        var streams = calls is null ? Enumerable.Range(0, arguments.Streams).Select(_ => scheduler.Register(rate)).ToArray() : [];

        // When stream i's sample `sample` was fed: its packet k went in at tick k·Phases + i mod Phases.
        TimeSpan FeedTime(int i, long sample) => PacketInterval * (((sample / packet) * Phases) + (i % Phases)) / Phases;

        var results = new List<VadWindowResult>(1024);
        long windows = 0;
        long speechWindows = 0;
        var packets = (long)arguments.Seconds * 50;
        var clock = Stopwatch.StartNew();
        recorder.Reset();
        for (long tick = 0; tick < packets * Phases; tick++)
        {
            // Real time: call i's packet k is due at k·20 ms plus its phase (calls are spread over the 20 ms, as
            // independent RTP streams are); a late feeder catches up, as queued RTP would arrive.
            var wait = (PacketInterval * tick / Phases) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            for (var i = (int)(tick % Phases); i < arguments.Streams; i += Phases)
            {
                if (calls is not null)
                {
                    calls.Feed(i, speech.AsSpan(offsets[i], packet), FeedTime, clock.Elapsed);
                    offsets[i] = (offsets[i] + packet) % (speech.Length - packet);
                    continue;
                }

                streams[i].Write(speech.AsSpan(offsets[i], packet));
                offsets[i] = (offsets[i] + packet) % (speech.Length - packet);
                results.Clear();
                streams[i].TakeResults(results);
                windows += results.Count;
                foreach (var result in results)
                {
                    speechWindows += result.Probability >= 0.5f ? 1 : 0;
                }
            }
        }

        var wall = clock.Elapsed;
        calls?.Drain();
        var gcAfter = GC.GetTotalMemory(forceFullCollection: true);
        var rssAfter = RssBytes();
        var busy = recorder.RunMilliseconds.Sum() / 1000.0;
        var expectedWindows = (double)arguments.Streams * packets * packet / rate.WindowSamples;
        var dropped = streams.Sum(s => s.WindowsDropped);
        if (calls is not null)
        {
            windows = calls.WindowsScored;
        }

        var lagP95 = Percentile(recorder.LagMilliseconds, 0.95);
        var keptUp = dropped == 0 && lagP95 < arguments.MaxLagMs / 2.0;
        var utilisation = busy / wall.TotalSeconds;
        var scoredAudioSeconds = recorder.BatchSizes.Sum() * SileroVadModel.WindowSamples / (double)SileroVadModel.SampleRate;

        Console.WriteLine(string.Create(ic, $"vad-streams: {arguments.Streams} streams x {arguments.Seconds} s, max batch {arguments.MaxBatchSize}, provider {model.ExecutionProvider}, MaxLagMs {arguments.MaxLagMs}, BatchIntervalMs {arguments.BatchIntervalMs}, VAD at {rate}"));
        Console.WriteLine(string.Create(ic, $"  sustained in real time : {(keptUp ? "yes" : "NO")} ({arguments.Streams} streams; inference thread busy {utilisation:P0} of wall time; at this run's cost per window one thread would carry ~{scoredAudioSeconds / Math.Max(busy, 1e-9):0} streams)"));
        Console.WriteLine(string.Create(ic, $"  real-time factor       : {busy / Math.Max(scoredAudioSeconds, 1e-9):0.00000} (inference seconds per second of scored audio)"));
        Console.WriteLine(string.Create(ic, $"  batch size             : mean {Mean(recorder.BatchSizes):0.0}, p95 {Percentile(recorder.BatchSizes, 0.95):0}, max {(recorder.BatchSizes.Count == 0 ? 0 : recorder.BatchSizes.Max()):0} over {recorder.BatchSizes.Count} runs"));
        Console.WriteLine(string.Create(ic, $"  run time per batch     : mean {Mean(recorder.RunMilliseconds):0.000} ms, p95 {Percentile(recorder.RunMilliseconds, 0.95):0.000} ms; per window {recorder.RunMilliseconds.Sum() / Math.Max(1, recorder.BatchSizes.Sum()) * 1000:0.0} us"));
        Console.WriteLine(string.Create(ic, $"  queue lag              : mean {Mean(recorder.LagMilliseconds):0.0} ms, p95 {lagP95:0.0} ms"));
        Console.WriteLine(string.Create(ic, $"  windows                : {windows} returned of {expectedWindows:0} fed, {dropped} dropped{(calls is null ? $", {speechWindows * 100.0 / Math.Max(1, windows):0}% speech" : "")}"));
        if (calls is not null)
        {
            var latency = calls.TurnLatencyMilliseconds;
            Console.WriteLine(string.Create(ic, $"  analysis               : {calls.SegmentsAnalysed} segments ({calls.SegmentsSkipped} skipped: queue full), {calls.AnalysisSeconds:0.00} s CPU ({calls.AnalysisSeconds / wall.TotalSeconds:P1} of the core), {calls.AnalysisSeconds * 1000 / Math.Max(1, calls.SegmentsAnalysed):0.00} ms per segment"));
            Console.WriteLine(string.Create(ic, $"  end-of-turn latency    : p50 {Percentile(latency, 0.50):0} ms, p95 {Percentile(latency, 0.95):0} ms (last voiced window fed → segment closed; 300 ms hangover included)"));
            Console.WriteLine(string.Create(ic, $"  process CPU            : {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds / wall.TotalSeconds:P0} of one core (VAD + analysis + feeding)"));
        }

        Console.WriteLine(string.Create(ic, $"  memory per stream      : GC {(gcAfter - gcBefore) / (double)arguments.Streams / 1024:0.0} KiB, RSS {(rssAfter - rssBefore) / (double)arguments.Streams / 1024:0.0} KiB"));

        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        calls?.Dispose();

        return 0;
    }

    private static float[] MakeSpeech(int sampleRate)
    {
        var scratch = Directory.CreateTempSubdirectory("vad-streams");
        try
        {
            var wav = Path.Combine(scratch.FullName, "speech.wav");
            var raw = Path.Combine(scratch.FullName, "speech.f32");
            Tool("espeak-ng", "-w", wav, "Hello, I would like to check the status of my order please. It was shipped last week and has not arrived yet.");

            // One second of silence after the sentence, so the calls also have pauses to segment.
            Tool("sox", wav, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", raw, "rate", sampleRate.ToString(CultureInfo.InvariantCulture), "channels", "1", "pad", "0", "1");
            var bytes = File.ReadAllBytes(raw);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return samples;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static void Tool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr}");
        }
    }

    /// <summary>Collects the scheduler's own instruments, as an exporter would.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "StepAudio.Telephony" && instrument.Name.StartsWith("stepaudio.vad.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
            _listener.Start();
        }

        public List<double> BatchSizes { get; } = [];

        public List<double> RunMilliseconds { get; } = [];

        public List<double> LagMilliseconds { get; } = [];

        public void Reset()
        {
            lock (_gate)
            {
                BatchSizes.Clear();
                RunMilliseconds.Clear();
                LagMilliseconds.Clear();
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Add(string name, double value)
        {
            lock (_gate)
            {
                var list = name switch
                {
                    "stepaudio.vad.batch.size" => BatchSizes,
                    "stepaudio.vad.batch.duration" => RunMilliseconds,
                    "stepaudio.vad.queue.lag" => LagMilliseconds,
                    _ => null,
                };
                list?.Add(value);
            }
        }
    }
}
