using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Benchmarks;

/// <summary>
/// The whole-clip resampler (<see cref="WdlClipResampler"/>, its taps grown with the step down), WDL at a fixed 128 taps
/// (as it was before) and sox <c>rate -v</c> on the conversions prompts, files and speech endpoints need, one tone per
/// clip: pass-band ripple (max − min gain of tones up to 0.85 of
/// the new Nyquist frequency), the worst alias (a tone from 1.15 of the new Nyquist frequency to the old one, measured
/// where it folds to, which is inside that pass band) and the time to convert 10 s of noise (best of 3).
/// </summary>
internal static class ClipResamplers
{
    public const string CommandName = "clip-resamplers";

    private const double Amplitude = 0.5;
    private const double ToneSeconds = 0.5;
    private const double EdgeSeconds = 0.1; // skip the filter's start and end transients

    public static int Run()
    {
        var scratch = Directory.CreateTempSubdirectory("clip-resamplers");
        try
        {
            Console.WriteLine("from → to      resampler   ripple dB   droop dB at 0.85·Nyq   worst alias dB (at Hz)   ms per 10 s");
            foreach (var (from, to) in new[] { (24000, 8000), (22050, 8000), (44100, 8000), (48000, 8000), (16000, 8000), (44100, 16000) })
            {
                Report(from, to, "wdl", (x, f, t) => WdlClipResampler.Resample(x, f, t));
                Report(from, to, "wdl 128", (x, f, t) => Wdl(x, f, t, 128));
                Report(from, to, "sox -v", (x, f, t) => Sox(scratch.FullName, x, f, t));
            }

            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Report(int from, int to, string name, Func<float[], int, int, float[]> resample)
    {
        var nyquist = to / 2.0;
        double minGain = double.MaxValue;
        double maxGain = double.MinValue;
        double edgeGain = 0;
        for (double f = 100; f <= 0.85 * nyquist + 1e-9; f += 100)
        {
            var gain = 20 * Math.Log10(Measure(resample(Tone(f, from), from, to), f, to) / Amplitude);
            minGain = Math.Min(minGain, gain);
            maxGain = Math.Max(maxGain, gain);
            edgeGain = gain;
        }

        double worstAlias = double.MinValue;
        double worstAt = 0;
        for (double f = Math.Ceiling(1.15 * nyquist / 100) * 100; f < from / 2.0; f += 100)
        {
            var alias = Math.Abs(f - (Math.Round(f / to) * to));
            var level = 20 * Math.Log10(Math.Max(Measure(resample(Tone(f, from), from, to), alias, to), 1e-12) / Amplitude);
            if (level > worstAlias)
            {
                (worstAlias, worstAt) = (level, f);
            }
        }

        var noise = new float[10 * from];
        var random = new Random(1);
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)((random.NextDouble() - 0.5) * 0.5);
        }

        double best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            resample(noise, from, to);
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{from,5} → {to,5}  {name,-9}  {maxGain - minGain,9:F3}   {edgeGain,20:F2}   {worstAlias,12:F1} ({worstAt,5:F0})   {best,11:F0}"));
    }

    private static float[] Tone(double hertz, int rate)
    {
        var samples = new float[(int)(ToneSeconds * rate)];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(Amplitude * Math.Sin(2 * Math.PI * hertz * n / rate));
        }

        return samples;
    }

    /// <summary>Amplitude of one frequency in the middle of the clip: one DFT bin over a Blackman-Harris window.</summary>
    private static double Measure(float[] output, double hertz, int rate)
    {
        var edge = (int)(EdgeSeconds * rate);
        var x = output.AsSpan(edge, output.Length - (2 * edge));
        double re = 0;
        double im = 0;
        double windowSum = 0;
        for (var n = 0; n < x.Length; n++)
        {
            var p = 2 * Math.PI * n / (x.Length - 1);
            var w = 0.35875 - (0.48829 * Math.Cos(p)) + (0.14128 * Math.Cos(2 * p)) - (0.01168 * Math.Cos(3 * p));
            var phase = 2 * Math.PI * hertz * n / rate;
            re += w * x[n] * Math.Cos(phase);
            im += w * x[n] * Math.Sin(phase);
            windowSum += w;
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / windowSum;
    }

    private static float[] Wdl(float[] mono, int from, int to, int taps)
    {
        var resampler = new NAudio.Dsp.WdlResampler();
        resampler.SetMode(true, 0, true, taps, 32);
        resampler.SetFeedMode(false);
        resampler.SetRates(from, to);
        var output = new List<float>();
        var buffer = new float[4096];
        var position = 0;
        while (true)
        {
            var wanted = resampler.ResamplePrepare(4096, 1, out var input);
            var given = Math.Min(wanted, mono.Length - position);
            mono.AsSpan(position, given).CopyTo(input);
            position += given;
            var produced = resampler.ResampleOut(buffer, given, 4096, 1);
            if (produced == 0)
            {
                break;
            }

            output.AddRange(buffer.AsSpan(0, produced));
        }

        return [.. output];
    }

    /// <summary>sox's very-high-quality rate effect on 32-bit float raw audio (no 16-bit quantisation floor).</summary>
    private static float[] Sox(string scratch, float[] input, int from, int to)
    {
        var inPath = Path.Combine(scratch, "in.f32");
        var outPath = Path.Combine(scratch, "out.f32");
        File.WriteAllBytes(inPath, MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
        ExternalTool.Run(
            "sox",
            "-t", "raw", "-r", from.ToString(CultureInfo.InvariantCulture), "-e", "floating-point", "-b", "32", "-c", "1", inPath,
            "-t", "raw", "-e", "floating-point", "-b", "32", outPath, "rate", "-v", to.ToString(CultureInfo.InvariantCulture));
        return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outPath)).ToArray();
    }
}
