using System.Globalization;
using Microsoft.Extensions.Options;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Benchmarks.VadGate;

/// <summary>
/// What the silence gate costs in detection, on real recorded speech: WAV files (any rate, read and resampled to
/// 16 kHz with NAudio) are laid end to end with 0.6–2.0 s pauses, over a noise floor of a chosen level, and run
/// through the speech detector with and without the gate. The ungated detector is the reference: an onset is
/// missed when no gated segment overlaps a reference segment, delayed when the gated segment starts later.
/// </summary>
/// <remarks>
/// <c>vad-gate --wavs DIR [--files N] [--floors -90,-70,-60] [--gates -70,-60,-50]</c>. The speech stays on the
/// machine (nothing is written); the repository ships none (see README.md for the corpus used).
/// </remarks>
internal static class VadGateBenchmark
{
    public const string CommandName = "vad-gate";
    public const string Usage = "vad-gate --wavs DIR [--files N] [--floors -90,-70,-60] [--gates -70,-60,-50]";
    private const int Rate = SileroVadModel.SampleRate;

    public static int Run(ReadOnlySpan<string> args)
    {
        string? wavs = null;
        var files = 100;
        float[] floors = [-90f, -70f, -60f];
        float[] gates = [-70f, -60f, -50f];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--wavs": wavs = args[i + 1]; break;
                case "--files": files = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--floors": floors = Levels(args[i + 1]); break;
                case "--gates": gates = Levels(args[i + 1]); break;
                default: Console.Error.WriteLine($"usage: {Usage}"); return 2;
            }
        }

        if (wavs is null || !Directory.Exists(wavs))
        {
            Console.Error.WriteLine($"usage: {Usage}");
            return 2;
        }

        var paths = Directory.GetFiles(wavs, "*.wav").Order(StringComparer.Ordinal).Take(files).ToList();
        var utterances = paths.Select(Read16k).ToList();
        using var model = new SileroVadModel(Options.Create(new VadOptions { ModelPath = VadStreams.VadStreamsArguments.DefaultModelPath() }));
        var ic = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ic, $"vad-gate: {utterances.Count} files from {wavs}, {utterances.Sum(u => u.Length) / (double)Rate:0.0} s of speech"));
        foreach (var floor in floors)
        {
            var audio = Lay(utterances, floor);
            var (reference, _) = Detect(model, audio, null);
            foreach (var gate in gates)
            {
                var (gated, gatedWindows) = Detect(model, audio, gate);
                var missed = 0;
                var delays = new List<double>();
                var early = 0;
                var maxEarly = 0.0;
                foreach (var r in reference)
                {
                    var index = gated.FindIndex(g => g.StartSample < r.EndSample && g.EndSample > r.StartSample);
                    if (index < 0)
                    {
                        missed++;
                        continue;
                    }

                    var delay = (gated[index].StartSample - r.StartSample) * 1000.0 / Rate;
                    delays.Add(Math.Max(0, delay));
                    early += delay < 0 ? 1 : 0;
                    maxEarly = Math.Max(maxEarly, -delay);
                }

                var windows = audio.Length / SileroVadModel.WindowSamples;
                Console.WriteLine(string.Create(ic,
                    $"RESULT floor_dbfs={floor} gate_dbfs={gate} onsets={reference.Count} missed={missed} delayed={delays.Count(d => d > 0)} " +
                    $"max_delay_ms={(delays.Count == 0 ? 0 : delays.Max()):0} earlier={early} max_earlier_ms={maxEarly:0} extra_segments={Math.Max(0, gated.Count - reference.Count)} " +
                    $"windows_gated={gatedWindows * 100.0 / windows:0.0}% audio_s={audio.Length / (double)Rate:0}"));
            }
        }

        return 0;
    }

    private static float[] Levels(string value) =>
        [.. value.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    private static float[] Read16k(string path)
    {
        using var reader = new WaveFileReader(path);
        var provider = reader.ToSampleProvider();
        if (provider.WaveFormat.Channels == 2)
        {
            provider = new StereoToMonoSampleProvider(provider);
        }

        if (reader.WaveFormat.SampleRate != Rate)
        {
            provider = new WdlResamplingSampleProvider(provider, Rate);
        }

        var samples = new List<float>();
        var buffer = new float[4096];
        int read;
        while ((read = provider.Read(buffer)) > 0)
        {
            samples.AddRange(buffer.AsSpan(0, read));
        }

        return [.. samples];
    }

    // Utterances with 0.6–2.0 s pauses, all over white noise at floorDbfs (RMS), deterministic.
    private static float[] Lay(List<float[]> utterances, float floorDbfs)
    {
        var random = new Random(15);
        var pauses = utterances.Select(_ => (int)((0.6 + (1.4 * random.NextDouble())) * Rate)).ToList();
        var audio = new float[utterances.Sum(u => u.Length) + pauses.Sum() + Rate];
        var at = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            at += pauses[i];
            utterances[i].CopyTo(audio, at);
            at += utterances[i].Length;
        }

        // Uniform noise in [-a, a] has RMS a / √3.
        var amplitude = MathF.Pow(10, floorDbfs / 20) * MathF.Sqrt(3);
        for (var n = 0; n < audio.Length; n++)
        {
            audio[n] += amplitude * ((2 * random.NextSingle()) - 1);
        }

        return audio;
    }

    private static (List<SpeechSegment> Segments, long Gated) Detect(SileroVadModel model, float[] audio, float? gateDbfs)
    {
        using var detector = new SpeechDetector(model, new VadOptions { ModelPath = model.ModelPath, SilenceGateDbfs = gateDbfs });
        var segments = new List<SpeechSegment>();
        for (var i = 0; i < audio.Length; i += 320)
        {
            detector.Process(audio.AsSpan(i, Math.Min(320, audio.Length - i)), segments);
        }

        detector.Complete(segments);
        return (segments, detector.WindowsGated);
    }
}
