using BenchmarkDotNet.Running;
using StepAudio.Telephony.Benchmarks;
using StepAudio.Telephony.Benchmarks.MediaLoad;

// `-- resampler-vs-sox [seconds]` compares our 8→16 kHz upsampler with sox; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == ResamplerVsSox.CommandName)
{
    return ResamplerVsSox.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
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

BenchmarkSwitcher.FromAssembly(typeof(FrameKernels).Assembly).Run(args);
return 0;
