using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.Testing;

namespace StepAudio.Telephony.Benchmarks;

/// <summary>
/// Resamples the same 8 kHz audio from 8 to 16 kHz with our <see cref="Upsampler8kTo16k"/> and with sox, and prints
/// speed (× real time) and quality (passband ripple and image rejection on a tone ladder, SNR on speech) for both.
/// </summary>
internal static class ResamplerVsSox
{
    public const string CommandName = "resampler-vs-sox";

    private const int Rate8k = 8000;
    private const int Rate16k = 16000;

    public static int Run(int speechSeconds)
    {
        var scratch = Directory.CreateTempSubdirectory("resampler-vs-sox");
        try
        {
            var ic = CultureInfo.InvariantCulture;
            string File(string name) => Path.Combine(scratch.FullName, name);

            // Speech: espeak-ng, repeated to the requested length, at 16 kHz (reference) and sox-decimated to 8 kHz.
            Tool("espeak-ng", "-w", File("speech.wav"), "The quick brown fox jumps over the lazy dog. Please call me back at five five five, one two three four, after the tone.");
            Tool("sox", File("speech.wav"), "-r", "16000", "-b", "16", "-c", "1", File("once16k.wav"));
            double onceSeconds = double.Parse(Tool("soxi", "-D", File("once16k.wav")), ic);
            int repeats = Math.Max(0, (int)Math.Ceiling(speechSeconds / onceSeconds) - 1);
            Tool("sox", File("once16k.wav"), "-t", "raw", "-e", "signed-integer", "-L", File("speech16k.raw"), "repeat", repeats.ToString(ic));
            Tool("sox", "-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", File("speech16k.raw"), "-t", "raw", "-r", "8000", File("speech8k.raw"));
            var original16k = ReadFloat(File("speech16k.raw"));
            var speech8k = ReadFloat(File("speech8k.raw"));
            double audioSeconds = speech8k.Length / (double)Rate8k;

            // Speed. Ours: 20 ms frames as on the call path, best of 5 passes. Sox: whole file, process start included.
            var ours = new float[2 * speech8k.Length];
            double oursSeconds = double.MaxValue;
            for (var pass = 0; pass < 5; pass++)
            {
                var upsampler = new Upsampler8kTo16k();
                var clock = Stopwatch.StartNew();
                for (var offset = 0; offset < speech8k.Length; offset += 160)
                {
                    int length = Math.Min(160, speech8k.Length - offset);
                    upsampler.Process(speech8k.AsSpan(offset, length), ours.AsSpan(2 * offset, 2 * length));
                }

                oursSeconds = Math.Min(oursSeconds, clock.Elapsed.TotalSeconds);
            }

            double soxSeconds = double.MaxValue;
            for (var pass = 0; pass < 3; pass++)
            {
                var clock = Stopwatch.StartNew();
                SoxUpsample(File("speech8k.raw"), File("sox16k.raw"));
                soxSeconds = Math.Min(soxSeconds, clock.Elapsed.TotalSeconds);
            }

            var sox = ReadFloat(File("sox16k.raw"));

            // NAudio's WDL resampler (the peer from the card's packages), pulled 20 ms at a time as a call would.
            var naudio = new float[2 * speech8k.Length];
            double naudioSeconds = double.MaxValue;
            for (var pass = 0; pass < 5; pass++)
            {
                var clock = Stopwatch.StartNew();
                NAudioUpsample(speech8k, naudio);
                naudioSeconds = Math.Min(naudioSeconds, clock.Elapsed.TotalSeconds);
            }

            var naudioAligned = Align(original16k, naudio);

            // Align: our filter delays by Upsampler8kTo16k.DelaySamples; sox compensates its own delay.
            var oursAligned = ours.AsSpan(Upsampler8kTo16k.DelaySamples).ToArray();
            Console.WriteLine($"Audio: {audioSeconds:F1} s of espeak-ng speech at 8 kHz (sox-decimated from 16 kHz)");
            Console.WriteLine();
            Console.WriteLine("                          ours (Upsampler8kTo16k)   sox -r 8000 … -r 16000   NAudio WdlResamplingSampleProvider");
            Console.WriteLine($"Speed (× real time)       {audioSeconds / oursSeconds,22:N0}   {audioSeconds / soxSeconds,22:N0}   {audioSeconds / naudioSeconds,22:N0}  (sox incl. process start)");
            Console.WriteLine($"SNR vs 16 kHz original    {Snr(original16k, oursAligned),19:F1} dB   {Snr(original16k, sox),19:F1} dB   {Snr(original16k, naudioAligned),19:F1} dB  (bounded by the >4 kHz band the 8 kHz input lacks)");
            Console.WriteLine($"SNR ours vs sox           {Snr(sox, oursAligned),19:F1} dB   NAudio vs sox {Snr(sox, naudioAligned):F1} dB");

            // Tone ladder: ripple at the tone frequency, image rejection at 8000 − f.
            var (ladder, frequencies, segment) = ToneLadder();
            var oursLadder = new float[2 * ladder.Length];
            new Upsampler8kTo16k().Process(ladder, oursLadder);
            WriteFloat(File("ladder8k.raw"), ladder);
            SoxUpsample(File("ladder8k.raw"), File("ladder16k.raw"));
            var soxLadder = ReadFloat(File("ladder16k.raw"));
            var (oursRipple, oursImage) = Measure(oursLadder.AsSpan(Upsampler8kTo16k.DelaySamples), frequencies, segment);
            var (soxRipple, soxImage) = Measure(soxLadder, frequencies, segment);
            var naudioLadder = new float[2 * ladder.Length];
            NAudioUpsample(ladder, naudioLadder);
            var (naudioRipple, naudioImage) = Measure(Align(soxLadder, naudioLadder), frequencies, segment);
            Console.WriteLine($"Passband ripple 0–3.4 kHz {oursRipple,19:F3} dB   {soxRipple,19:F3} dB   {naudioRipple,19:F3} dB  (max − min gain over {frequencies.Length} tones)");
            Console.WriteLine($"Image rejection (worst)   {oursImage,19:F1} dB   {soxImage,19:F1} dB   {naudioImage,19:F1} dB  (tone f vs image 8000 − f, f ≤ 3.4 kHz)");
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void NAudioUpsample(float[] input8k, float[] output16k)
    {
        var resampler = new NAudio.Wave.SampleProviders.WdlResamplingSampleProvider(new ArraySampleProvider(input8k, Rate8k), 2 * Rate8k);
        var written = 0;
        int read;
        while (written < output16k.Length && (read = resampler.Read(output16k.AsSpan(written, Math.Min(320, output16k.Length - written)))) > 0)
        {
            written += read;
        }
    }

    /// <summary><paramref name="test"/> shifted by the lag (0–256 samples) that best matches <paramref name="reference"/>.</summary>
    private static float[] Align(ReadOnlySpan<float> reference, float[] test)
    {
        var best = 0;
        var bestScore = double.MinValue;
        var length = Math.Min(reference.Length, test.Length) - 256;
        for (var lag = 0; lag <= 256; lag++)
        {
            var score = 0.0;
            for (var i = 0; i < Math.Min(length, 160_000); i++)
            {
                score += reference[i] * test[i + lag];
            }

            if (score > bestScore)
            {
                (best, bestScore) = (lag, score);
            }
        }

        return test.AsSpan(best).ToArray();
    }

    /// <summary>An in-memory 8 kHz mono source for NAudio's resampler.</summary>
    private sealed class ArraySampleProvider(float[] samples, int rate) : NAudio.Wave.ISampleProvider
    {
        private int _position;

        public NAudio.Wave.WaveFormat WaveFormat { get; } = NAudio.Wave.WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(Span<float> buffer)
        {
            var count = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }

    private static void SoxUpsample(string input, string output) =>
        Tool("sox", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", input, "-t", "raw", "-r", "16000", output);

    private static (float[] Signal, double[] Frequencies, int Segment) ToneLadder()
    {
        double[] frequencies = [100, 300, 500, 700, 1000, 1300, 1600, 2000, 2400, 2800, 3100, 3400];
        const int segment = Rate8k / 2;
        var signal = new float[frequencies.Length * segment];
        for (var k = 0; k < frequencies.Length; k++)
        {
            for (var n = 0; n < segment; n++)
            {
                signal[(k * segment) + n] = (float)(0.5 * Math.Sin(2 * Math.PI * frequencies[k] * n / Rate8k));
            }
        }

        return (signal, frequencies, segment);
    }

    private static (double RippleDb, double WorstImageDb) Measure(ReadOnlySpan<float> output16k, double[] frequencies, int segment8k)
    {
        double minGain = double.MaxValue;
        double maxGain = double.MinValue;
        double worstImage = double.MaxValue;
        int segment = 2 * segment8k;
        int guard = 400; // skip the filter's transient at each tone change
        for (var k = 0; k < frequencies.Length; k++)
        {
            var window = output16k.Slice((k * segment) + guard, segment - (2 * guard));
            double gain = 20 * Math.Log10(Amplitude(window, frequencies[k]) / 0.5);
            double image = 20 * Math.Log10(Amplitude(window, frequencies[k]) / Amplitude(window, Rate8k - frequencies[k]));
            minGain = Math.Min(minGain, gain);
            maxGain = Math.Max(maxGain, gain);
            worstImage = Math.Min(worstImage, image);
        }

        return (maxGain - minGain, worstImage);
    }

    /// <summary>Amplitude of one frequency by a single DFT bin over a Hann window (leakage from the other tone kept low).</summary>
    private static double Amplitude(ReadOnlySpan<float> x, double frequency)
    {
        double re = 0;
        double im = 0;
        double windowSum = 0;
        for (var n = 0; n < x.Length; n++)
        {
            double w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / (x.Length - 1)));
            double phase = 2 * Math.PI * frequency * n / Rate16k;
            re += w * x[n] * Math.Cos(phase);
            im += w * x[n] * Math.Sin(phase);
            windowSum += w;
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / windowSum;
    }

    private static double Snr(ReadOnlySpan<float> reference, ReadOnlySpan<float> test)
    {
        int length = Math.Min(reference.Length, test.Length) - 400;
        double signal = 0;
        double noise = 0;
        for (var n = 200; n < length; n++)
        {
            signal += reference[n] * (double)reference[n];
            double error = test[n] - (double)reference[n];
            noise += error * error;
        }

        return 10 * Math.Log10(signal / noise);
    }

    private static float[] ReadFloat(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        var samples = new float[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)) / 32768f;
        }

        return samples;
    }

    private static void WriteFloat(string path, ReadOnlySpan<float> samples)
    {
        var pcm = new short[samples.Length];
        PcmConversion.ToPcm16(samples, pcm);
        var bytes = new byte[2 * pcm.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), pcm[i]);
        }

        System.IO.File.WriteAllBytes(path, bytes);
    }

    private static string Tool(string tool, params string[] arguments) => ExternalTool.Run(tool, arguments).Trim();
}
