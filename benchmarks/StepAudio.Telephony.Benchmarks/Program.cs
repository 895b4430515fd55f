using BenchmarkDotNet.Running;
using StepAudio.Telephony.Benchmarks;

// `-- resampler-vs-sox [seconds]` compares our 8→16 kHz upsampler with sox; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == ResamplerVsSox.CommandName)
{
    return ResamplerVsSox.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
}

BenchmarkSwitcher.FromAssembly(typeof(FrameKernels).Assembly).Run(args);
return 0;
