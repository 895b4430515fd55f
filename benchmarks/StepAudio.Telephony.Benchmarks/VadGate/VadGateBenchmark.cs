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
/// <para>
/// <c>--rate 8000</c> compares the two ways of scoring narrowband calls instead, on the files read at 8 kHz: the
/// reference is the model at 16 kHz on the audio upsampled by the gateway's own upsampler (the path before issue 15),
/// the candidate the model at 8 kHz on the audio as received; both with the gate at each <c>--gates</c> level.
/// </para>
/// </remarks>
internal static class VadGateBenchmark
{
    public const string CommandName = "vad-gate";
    public const string Usage = "vad-gate --wavs DIR [--files N] [--floors -90,-70,-60] [--gates -70,-60,-50] [--rate 16000|8000]";

    public static int Run(ReadOnlySpan<string> args)
    {
        string? wavs = null;
        var files = 100;
        float[] floors = [-90f, -70f, -60f];
        float[] gates = [-70f, -60f, -50f];
        var rate = SileroVadModel.SampleRate;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--wavs": wavs = args[i + 1]; break;
                case "--files": files = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--floors": floors = Levels(args[i + 1]); break;
                case "--gates": gates = Levels(args[i + 1]); break;
                case "--rate": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"usage: {Usage}"); return 2;
            }
        }

        if (wavs is null || !Directory.Exists(wavs) || rate is not (8_000 or 16_000))
        {
            Console.Error.WriteLine($"usage: {Usage}");
            return 2;
        }

        var paths = Directory.GetFiles(wavs, "*.wav").Order(StringComparer.Ordinal).Take(files).ToList();
        var utterances = paths.Select(p => Read(p, rate)).ToList();
        var compareRates = rate == 8_000;
        using var model = new SileroVadModel(Options.Create(new VadOptions { ModelPath = VadStreams.VadStreamsArguments.DefaultModelPath() }));
        var ic = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ic, $"vad-gate: {utterances.Count} files from {wavs}, {utterances.Sum(u => u.Length) / (double)rate:0.0} s of speech{(compareRates ? ", 16 kHz (upsampled) vs 8 kHz" : "")}"));
        foreach (var floor in floors)
        {
            var audio = Lay(utterances, floor, rate, out var truth);
            List<SpeechSegment> reference = compareRates ? [] : Detect(model, audio, null, rate, narrowbandAt8kHz: false).Segments;
            foreach (var gate in gates)
            {
                if (compareRates)
                {
                    reference = Detect(model, audio, gate, rate, narrowbandAt8kHz: false).Segments;
                }

                var (gated, gatedWindows) = Detect(model, audio, gate, rate, narrowbandAt8kHz: true);
                var floorAndGate = string.Create(CultureInfo.InvariantCulture, $"floor_dbfs={floor} gate_dbfs={gate}");
                Console.WriteLine(OnsetTruth.Report($"{floorAndGate} {(compareRates ? "vad=16k-upsampled" : "gate=off")}", truth, compareRates ? reference : Detect(model, audio, null, rate, narrowbandAt8kHz: false).Segments));
                Console.WriteLine(OnsetTruth.Report($"{floorAndGate} {(compareRates ? "vad=8k" : "gate=on")}", truth, gated));
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

                    var delay = (gated[index].StartSample - r.StartSample) * 1000.0 / SpeechSegment.SampleRate;
                    delays.Add(Math.Max(0, delay));
                    early += delay < 0 ? 1 : 0;
                    maxEarly = Math.Max(maxEarly, -delay);
                }

                var windows = audio.Length / SileroRate.Of(rate).WindowSamples;
                Console.WriteLine(string.Create(ic,
                    $"RESULT floor_dbfs={floor} gate_dbfs={gate} onsets={reference.Count} missed={missed} delayed={delays.Count(d => d > 0)} " +
                    $"max_delay_ms={(delays.Count == 0 ? 0 : delays.Max()):0} earlier={early} max_earlier_ms={maxEarly:0} extra_segments={Math.Max(0, gated.Count - reference.Count)} " +
                    $"windows_gated={gatedWindows * 100.0 / windows:0.0}% audio_s={audio.Length / (double)rate:0} rate={rate}"));
            }
        }

        return 0;
    }

    private static float[] Levels(string value) =>
        [.. value.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    private static float[] Read(string path, int rate)
    {
        using var reader = new WaveFileReader(path);
        var provider = reader.ToSampleProvider();
        if (provider.WaveFormat.Channels == 2)
        {
            provider = new StereoToMonoSampleProvider(provider);
        }

        if (reader.WaveFormat.SampleRate != rate)
        {
            provider = new WdlResamplingSampleProvider(provider, rate);
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
    private static float[] Lay(List<float[]> utterances, float floorDbfs, int rate, out List<(long Start, long End)> truth)
    {
        truth = [];
        var random = new Random(15);
        var pauses = utterances.Select(_ => (int)((0.6 + (1.4 * random.NextDouble())) * rate)).ToList();
        var audio = new float[utterances.Sum(u => u.Length) + pauses.Sum() + rate];
        var at = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            at += pauses[i];
            utterances[i].CopyTo(audio, at);
            truth.Add(OnsetTruth.Extent(utterances[i], at, rate));
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

    // 20 ms packets at the audio's rate; 8 kHz audio runs at 16 kHz (upsampled inside the detector) unless narrowbandAt8kHz.
    private static (List<SpeechSegment> Segments, long Gated) Detect(SileroVadModel model, float[] audio, float? gateDbfs, int rate, bool narrowbandAt8kHz)
    {
        var options = new VadOptions { ModelPath = model.ModelPath, SilenceGateDbfs = gateDbfs, NarrowbandAt8kHz = narrowbandAt8kHz };
        using var detector = new SpeechDetector(model, options);
        var segments = new List<SpeechSegment>();
        var packet = rate / 50;
        for (var i = 0; i < audio.Length; i += packet)
        {
            detector.Process(audio.AsSpan(i, Math.Min(packet, audio.Length - i)), rate, segments);
        }

        detector.Complete(segments);
        return (segments, detector.WindowsGated);
    }
}
