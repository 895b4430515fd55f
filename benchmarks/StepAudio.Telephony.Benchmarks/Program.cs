using BenchmarkDotNet.Running;
using StepAudio.Telephony.Benchmarks;
using StepAudio.Telephony.Benchmarks.AnalyticsStore;
using StepAudio.Telephony.Benchmarks.ConversationLatency;
using StepAudio.Telephony.Benchmarks.EventLoad;
using StepAudio.Telephony.Benchmarks.MediaLoad;
using StepAudio.Telephony.Benchmarks.VadCapacity;
using StepAudio.Telephony.Benchmarks.VadGate;
using StepAudio.Telephony.Benchmarks.VadStreams;

// `-- resampler-vs-sox [seconds]` compares our 8→16 kHz upsampler with sox; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == ResamplerVsSox.CommandName)
{
    return ResamplerVsSox.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
}

// `-- clip-resamplers`: WdlClipResampler, WDL at 128 taps and sox rate -v on a tone per clip (ripple, alias, cost).
if (args.Length > 0 && args[0] == ClipResamplers.CommandName)
{
    return ClipResamplers.Run();
}

// `-- media-gateway|media-peer ...`: the two halves of scripts/media-load.sh (calls per core with live RTP).
if (args.Length > 0 && args[0] is "media-gateway" or "media-peer")
{
    if (MediaLoadArguments.Parse(args.AsSpan(1)) is not { } load)
    {
        Console.Error.WriteLine($"usage: {MediaLoadArguments.Usage}");
        return 2;
    }

    return args[0] == "media-gateway" ? await MediaLoadGateway.RunAsync(load) : await MediaLoadPeer.RunAsync(load);
}

// `-- vad-streams --streams N --seconds S --batch 1|max`: calls per inference thread with batched VAD.
if (args.Length > 0 && args[0] == VadStreamsBenchmark.CommandName)
{
    if (VadStreamsArguments.Parse(args.AsSpan(1)) is not { } vad)
    {
        Console.Error.WriteLine($"usage: {VadStreamsArguments.Usage}");
        return 2;
    }

    return VadStreamsBenchmark.Run(vad);
}

// `-- vad-capacity --provider cpu|cuda --batches 1,256,4096`: streams per process through the scheduler and bare ORT.
if (args.Length > 0 && args[0] == VadCapacityBenchmark.CommandName)
{
    if (VadCapacityArguments.Parse(args.AsSpan(1)) is not { } capacity)
    {
        Console.Error.WriteLine($"usage: {VadCapacityArguments.Usage}");
        return 2;
    }

    return VadCapacityBenchmark.Run(capacity);
}

// `-- vad-gate --wavs DIR`: missed and delayed speech onsets with the silence gate, on real recorded speech.
if (args.Length > 0 && args[0] == VadGateBenchmark.CommandName)
{
    return VadGateBenchmark.Run(args.AsSpan(1));
}

// `-- event-load [--events N] [--calls C] [--rate R]`: call events/s with publisher confirms and detection→consumer delay.
if (args.Length > 0 && args[0] == EventLoadBenchmark.CommandName)
{
    if (EventLoadArguments.Parse(args.AsSpan(1)) is not { } load)
    {
        Console.Error.WriteLine($"usage: {EventLoadArguments.Usage}");
        return 2;
    }

    return await EventLoadBenchmark.RunAsync(load);
}

// `-- model-server`: the instant OpenAI-compatible model server of scripts/conversation-latency.sh.
if (args.Length > 0 && args[0] == InstantModelServer.CommandName)
{
    return await InstantModelServer.RunAsync();
}

// `-- analytics-store [--provider sqlite|postgres] ...`: store ingest events/s through RabbitMQ and query times.
if (args.Length > 0 && args[0] == AnalyticsStoreBenchmark.CommandName)
{
    if (AnalyticsStoreArguments.Parse(args.AsSpan(1)) is not { } store)
    {
        Console.Error.WriteLine($"usage: {AnalyticsStoreArguments.Usage}");
        return 2;
    }

    return await AnalyticsStoreBenchmark.RunAsync(store);
}

BenchmarkSwitcher.FromAssembly(typeof(FrameKernels).Assembly).Run(args);
return 0;
