using BenchmarkDotNet.Attributes;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Benchmarks;

/// <summary>
/// CPU cost of the explainable paralinguistic analysis on 10 s of speech-like audio (a gliding 90–250 Hz sawtooth
/// in 4 Hz syllable bursts over light noise). Divide the means by 10 for the cost per second of audio. The default
/// analysis is <see cref="Extract10Seconds"/> + <see cref="TrainedEmotion"/> + <see cref="TrainedEvents10Seconds"/>;
/// the hand-written rules are <see cref="ExtractFullBand10Seconds"/> + <see cref="EstimateEmotion"/> +
/// <see cref="DetectEvents10Seconds"/>.
/// Run: <c>dotnet run -c Release --project benchmarks/StepAudio.Telephony.Benchmarks -- --filter '*ParalinguisticsCost*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class ParalinguisticsCost
{
    private const int SampleRate = 16_000;
    private readonly AcousticFeatureExtractor _extractor = new();
    private readonly AcousticVocalEventDetector _detector = new();
    private readonly AcousticEmotionEstimator _estimator = new();
    private readonly AcousticFeatureExtractor _rulesExtractor = new(telephoneBandPitch: false);
    private readonly AcousticFeatureExtractor _melExtractor = new(melCepstrum: true);
    private readonly IEmotionEstimator _trainedEstimator = SegmentAnalyzers.CreateEmotionEstimator(ParalinguisticsOptions.BuiltinModel);
    private readonly IVocalEventDetector _trainedDetector = SegmentAnalyzers.CreateVocalEventDetector(ParalinguisticsOptions.BuiltinModel);
    private float[] _audio = [];
    private AcousticFeatures? _features;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(6);
        _audio = new float[10 * SampleRate];
        double phase = 0;
        for (var n = 0; n < _audio.Length; n++)
        {
            var t = n / (double)SampleRate;
            var f0 = 170 + (80 * Math.Sin(2 * Math.PI * 0.3 * t));
            phase += f0 / SampleRate;
            var envelope = Math.Max(0, Math.Sin(2 * Math.PI * 4 * t));
            _audio[n] = (float)((0.3 * envelope * ((2 * (phase - Math.Floor(phase))) - 1)) + (0.003 * ((random.NextDouble() * 2) - 1)));
        }

        _features = _extractor.Extract(_audio);
    }

    /// <summary>The features the trained models read (telephone-band pitch, missing fundamental recovered): the default.</summary>
    [Benchmark]
    public AcousticFeatures Extract10Seconds() => _extractor.Extract(_audio);

    /// <summary>The default features plus the mel cepstrum (training, or a vocal-event model that reads it).</summary>
    [Benchmark]
    public AcousticFeatures Extract10SecondsWithMelCepstrum() => _melExtractor.Extract(_audio);

    /// <summary>The plain full-band features the hand-written rules read (<c>rules</c> configured).</summary>
    [Benchmark]
    public AcousticFeatures ExtractFullBand10Seconds() => _rulesExtractor.Extract(_audio);

    /// <summary>The shipped vocal-event model on the span's features (no second pass over the audio).</summary>
    [Benchmark]
    public IReadOnlyList<VocalEvent> TrainedEvents10Seconds() => _trainedDetector.Detect(_audio, TimeSpan.Zero, _features!);

    /// <summary>The shipped emotion model.</summary>
    [Benchmark]
    public EmotionEstimate TrainedEmotion() => _trainedEstimator.Estimate(_features!);

    [Benchmark]
    public IReadOnlyList<VocalEvent> DetectEvents10Seconds() => _detector.Detect(_audio, TimeSpan.Zero, _features!);

    [Benchmark]
    public EmotionEstimate EstimateEmotion() => _estimator.Estimate(_features!);
}
