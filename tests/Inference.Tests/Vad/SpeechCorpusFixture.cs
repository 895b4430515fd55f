using StepAudio.Telephony.Inference.Tests.TestSupport;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>
/// Test audio made at test time with espeak-ng and sox: 1.0 s silence, utterance, 1.5 s silence, utterance,
/// 1.0 s silence at 16 kHz; the same through a telephone channel; digital silence; white noise.
/// </summary>
public sealed class SpeechCorpusFixture : IDisposable
{
    public const int SampleRate = SoxAudio.SampleRate;
    public const double LeadSeconds = 1.0;
    public const double GapSeconds = 1.5;
    public const double TailSeconds = 1.0;
    public const double NoiseDbfs = -30;

    private const string Sentence = "Hello, I would like to check the status of my order please";

    // A 10 ms frame is speech when its RMS is within this many dB of the loudest frame of the utterance.
    private const double SpeechFloorDb = 40;

    private readonly TempDirectory _directory = new();

    public SpeechCorpusFixture()
    {
        var spoken = _directory.File("spoken.wav");
        var utterance = _directory.File("utterance.wav");
        var first = _directory.File("first.wav");
        var clean = _directory.File("clean.wav");
        var telephone = _directory.File("telephone-8k-ulaw.wav");
        var silence = _directory.File("silence.wav");
        var noise = _directory.File("noise.wav");

        ExternalTool.Run("espeak-ng", "-w", spoken, Sentence);
        ExternalTool.Run("sox", spoken, "-e", "floating-point", "-b", "32", utterance, "rate", "16000", "channels", "1");
        ExternalTool.Run("sox", utterance, first, "pad", Seconds(LeadSeconds), Seconds(GapSeconds));
        ExternalTool.Run("sox", first, utterance, clean, "pad", "0", Seconds(TailSeconds));

        // Telephone channel: 8 kHz, 300–3400 Hz band-pass, G.711 µ-law (ITU-T G.711), then back to 16 kHz.
        ExternalTool.Run("sox", clean, "-e", "u-law", "-b", "8", telephone, "sinc", "300-3400", "rate", "8000");

        ExternalTool.Run("sox", "-n", "-r", "16000", "-c", "1", "-e", "floating-point", "-b", "32", silence, "trim", "0", "3");
        ExternalTool.Run("sox", "-n", "-r", "16000", "-c", "1", "-e", "floating-point", "-b", "32", noise, "synth", "5", "whitenoise");

        Utterance = SoxAudio.ReadMono16k(utterance, _directory.Path);
        Clean = SoxAudio.ReadMono16k(clean, _directory.Path);
        Telephone = SoxAudio.ReadMono16k(telephone, _directory.Path);
        Telephone8k = SoxAudio.ReadMono(telephone, 8_000, _directory.Path);
        Silence = SoxAudio.ReadMono16k(silence, _directory.Path);
        Noise = ScaleToDbfs(SoxAudio.ReadMono16k(noise, _directory.Path), NoiseDbfs);

        var (speechStart, speechEnd) = SpeechExtent(Utterance);
        var firstOffset = (long)(LeadSeconds * SampleRate);
        var secondOffset = firstOffset + Utterance.Length + (long)(GapSeconds * SampleRate);
        TrueSpeech = [(firstOffset + speechStart, firstOffset + speechEnd), (secondOffset + speechStart, secondOffset + speechEnd)];
        ExpectedCleanLength = secondOffset + Utterance.Length + (long)(TailSeconds * SampleRate);
    }

    public float[] Utterance { get; }

    public float[] Clean { get; }

    public float[] Telephone { get; }

    /// <summary>The telephone channel as received, 8 kHz G.711 µ-law decoded (what a narrowband call's VAD scores).</summary>
    public float[] Telephone8k { get; }

    public float[] Silence { get; }

    public float[] Noise { get; }

    /// <summary>Where the two utterances really have speech in <see cref="Clean"/>: [start, end) in samples.</summary>
    public (long Start, long End)[] TrueSpeech { get; }

    /// <summary>Length <see cref="Clean"/> must have if sox padded as asked.</summary>
    public long ExpectedCleanLength { get; }

    public void Dispose() => _directory.Dispose();

    private static string Seconds(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static (long Start, long End) SpeechExtent(float[] samples)
    {
        const int frame = SampleRate / 100;
        var frames = samples.Length / frame;
        var levels = new double[frames];
        for (var i = 0; i < frames; i++)
        {
            levels[i] = SoxAudio.RmsDbfs(samples.AsSpan(i * frame, frame));
        }

        var floor = levels.Max() - SpeechFloorDb;
        var first = Array.FindIndex(levels, l => l > floor);
        var last = Array.FindLastIndex(levels, l => l > floor);
        return ((long)first * frame, (long)(last + 1) * frame);
    }

    private static float[] ScaleToDbfs(float[] samples, double dbfs)
    {
        var gain = (float)Math.Pow(10, (dbfs - SoxAudio.RmsDbfs(samples)) / 20);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] *= gain;
        }

        return samples;
    }
}
