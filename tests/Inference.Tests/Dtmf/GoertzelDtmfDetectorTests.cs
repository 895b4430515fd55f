using System.Globalization;
using StepAudio.Telephony.Inference.Dtmf;

namespace StepAudio.Telephony.Inference.Tests.Dtmf;

/// <summary>Tones made by sox (its own synthesis and G.711 coding), speech made by espeak-ng.</summary>
public sealed class GoertzelDtmfDetectorTests : IDisposable
{
    private static readonly Dictionary<char, (int Row, int Column)> Pairs = new()
    {
        ['1'] = (697, 1209), ['2'] = (697, 1336), ['3'] = (697, 1477), ['A'] = (697, 1633),
        ['4'] = (770, 1209), ['5'] = (770, 1336), ['6'] = (770, 1477), ['B'] = (770, 1633),
        ['7'] = (852, 1209), ['8'] = (852, 1336), ['9'] = (852, 1477), ['C'] = (852, 1633),
        ['*'] = (941, 1209), ['0'] = (941, 1336), ['#'] = (941, 1477), ['D'] = (941, 1633),
    };

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData('1')]
    [InlineData('5')]
    [InlineData('9')]
    [InlineData('0')]
    [InlineData('*')]
    [InlineData('#')]
    [InlineData('A')]
    [InlineData('D')]
    public void Each_key_is_reported_once_with_its_duration(char key)
    {
        var audio = Concat(Silence(0.2), Tone(key, 0.1), Silence(0.2));

        var digits = Detect(audio, frame: 160);

        var digit = Assert.Single(digits);
        Assert.Equal(key, digit.Digit);
        Assert.InRange(digit.Duration.TotalMilliseconds, 90, 120);
        Assert.InRange(digit.Start.TotalMilliseconds, 190, 210);
    }

    [Fact]
    public void A_twelve_digit_sequence_through_mu_law_is_read_in_order()
    {
        const string Sequence = "0123456789*#";
        var parts = new List<short[]> { Silence(0.1) };
        foreach (var key in Sequence)
        {
            parts.Add(Tone(key, 0.07, gainDb: -20));
            parts.Add(Silence(0.06));
        }

        var audio = ThroughMuLaw(Concat([.. parts]));

        var digits = Detect(audio, frame: 160);

        Assert.Equal(Sequence, new string(digits.Select(d => d.Digit).ToArray()));
        Assert.All(digits, d => Assert.InRange(d.Duration.TotalMilliseconds, 60, 90));
    }

    [Fact]
    public void Tones_in_white_noise_at_20_dB_SNR_are_still_detected()
    {
        var tone = Tone('7', 0.1);
        var audio = Concat(Silence(0.2), tone, Silence(0.2));
        AddNoise(audio, RmsOf(tone) / 10, seed: 7);

        var digits = Detect(audio, frame: 160);

        Assert.Equal("7", new string(digits.Select(d => d.Digit).ToArray()));
    }

    [Fact]
    public void A_40_ms_tone_is_accepted_and_a_20_ms_tone_rejected()
    {
        var audio = Concat(Silence(0.1), Tone('3', 0.04), Silence(0.2), Tone('6', 0.02), Silence(0.2));

        var digits = Detect(audio, frame: 160);

        Assert.Equal("3", new string(digits.Select(d => d.Digit).ToArray()));
    }

    [Fact]
    public void A_single_frequency_or_excessive_twist_is_not_a_digit()
    {
        var single = SoxRaw("synth", "0.2", "sine", "697");
        var twisted = SoxRaw("synth", "0.2", "sine", "697", "sine", "1209", "remix", "-m", "1v0.9,2v0.05");

        Assert.Empty(Detect(Concat(single, Silence(0.1), twisted, Silence(0.1)), frame: 160));
    }

    [Fact]
    public void Speech_produces_no_digits()
    {
        var spoken = _directory.File("speech.wav");
        ExternalTool.Run("espeak-ng", "-w", spoken, "One two three four five six seven eight nine zero. Please hold, your call is important to us, the number is star pound.");
        var raw = _directory.File("speech.raw");
        ExternalTool.Run("sox", spoken, "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", raw, "sinc", "300-3400");

        var speech = ThroughMuLaw(RawAudio.ReadInt16(raw));

        Assert.Empty(Detect(speech, frame: 160));
    }

    [Fact]
    public void Frame_size_does_not_change_the_result()
    {
        var audio = Concat(Silence(0.05), Tone('2', 0.08), Silence(0.05), Tone('8', 0.08), Silence(0.1));

        var in160 = Detect(audio, frame: 160);
        var in37 = Detect(audio, frame: 37);

        Assert.Equal("28", new string(in160.Select(d => d.Digit).ToArray()));
        Assert.Equal(in160, in37);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(79)]
    [InlineData(80)]
    [InlineData(81)]
    [InlineData(241)]
    [InlineData(4000)]
    public void Any_framing_reads_the_same_digits_and_durations_as_one_sample_at_a_time(int frame)
    {
        // Runs are cut at window boundaries (half a window apart): frames that end before, on and after a boundary,
        // and one frame holding several windows, must all read exactly what a sample-by-sample feed reads.
        var audio = Concat(Silence(0.013), Tone('1', 0.07), Silence(0.05), Tone('#', 0.12), Silence(0.031), Tone('D', 0.05), Silence(0.1));

        var reference = Detect(audio, frame: 1);
        var framed = Detect(audio, frame);

        Assert.Equal("1#D", new string(reference.Select(d => d.Digit).ToArray()));
        Assert.Equal(reference, framed);
    }

    [Fact]
    public void Processing_a_frame_allocates_nothing()
    {
        var detector = new GoertzelDtmfDetector();
        var audio = Concat(Tone('5', 0.2), Silence(0.2));
        detector.Process(audio);
        while (detector.TryRead(out _))
        {
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i + 160 <= audio.Length; i += 160)
        {
            detector.Process(audio.AsSpan(i, 160));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(detector.TryRead(out var digit));
        Assert.Equal('5', digit.Digit);
    }

    private static List<DtmfDigit> Detect(short[] audio, int frame)
    {
        var detector = new GoertzelDtmfDetector();
        var digits = new List<DtmfDigit>();
        for (int i = 0; i < audio.Length; i += frame)
        {
            detector.Process(audio.AsSpan(i, Math.Min(frame, audio.Length - i)));
            while (detector.TryRead(out var digit))
            {
                digits.Add(digit);
            }
        }

        detector.Flush();
        while (detector.TryRead(out var digit))
        {
            digits.Add(digit);
        }

        return digits;
    }

    private short[] Tone(char key, double seconds, double gainDb = -3)
    {
        var (row, column) = Pairs[key];

        // Two synth channels, one per tone; sox mixes them down to the one output channel (each at half amplitude).
        return SoxRaw(
            "synth", Seconds(seconds), "sine", row.ToString(CultureInfo.InvariantCulture), "sine", column.ToString(CultureInfo.InvariantCulture),
            "gain", gainDb.ToString(CultureInfo.InvariantCulture));
    }

    private short[] SoxRaw(params string[] effects)
    {
        var raw = _directory.File(Guid.NewGuid().ToString("N") + ".raw");
        ExternalTool.Run("sox", ["-n", "-r", "8000", "-b", "16", "-e", "signed", "-c", "1", raw, .. effects]);
        return RawAudio.ReadInt16(raw);
    }

    private short[] ThroughMuLaw(short[] audio)
    {
        var input = _directory.File(Guid.NewGuid().ToString("N") + ".raw");
        var ulaw = _directory.File(Guid.NewGuid().ToString("N") + ".ul");
        var output = _directory.File(Guid.NewGuid().ToString("N") + ".raw");
        RawAudio.WriteInt16(input, audio);
        string[] pcm = ["-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1"];
        ExternalTool.Run("sox", [.. pcm, input, "-t", "raw", "-r", "8000", "-e", "u-law", "-b", "8", "-c", "1", ulaw]);
        ExternalTool.Run("sox", ["-t", "raw", "-r", "8000", "-e", "u-law", "-b", "8", "-c", "1", ulaw, .. pcm, output]);
        return RawAudio.ReadInt16(output);
    }

    private static short[] Silence(double seconds) => new short[(int)(seconds * 8000)];

    private static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    private static double RmsOf(short[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));

    private static void AddNoise(short[] audio, double rms, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < audio.Length; i++)
        {
            // Box-Muller: Gaussian white noise with the requested RMS.
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            double noise = rms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            audio[i] = (short)Math.Clamp(audio[i] + noise, short.MinValue, short.MaxValue);
        }
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
