using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>
/// The composed paralinguistic analysis: features → emotion (speech spans only) → vocal events → the optional model
/// slot, which replaces or joins the emotion and event judgements. Stateless apart from its components, so it is as
/// thread-safe as they are (their contracts require it).
/// </summary>
/// <remarks>
/// Cost is bounded: a span longer than <see cref="ParalinguisticsOptions.MaxAnalysisSeconds"/> is analysed on its
/// first and last halves of that length, joined. Vocal events are searched in each half separately so that their
/// times stay call times; the reported <see cref="SegmentAnalysis.Duration"/> is the whole span's.
/// Non-finite input samples are read as silence, and non-finite outputs of the components as 0.
/// </remarks>
public sealed partial class SegmentAnalyzer : ISegmentAnalyzer
{
    private const int SampleRate = 16_000;

    private static readonly AcousticFeatures EmptyFeatures = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private readonly IAcousticFeatureExtractor _extractor;
    private readonly IEmotionEstimator _estimator;
    private readonly IVocalEventDetector _detector;
    private readonly IAudioClassifier? _classifier;
    private readonly AudioClassifierOptions _modelOptions;
    private readonly int _maxSamples;
    private readonly ILogger _logger;
    private long _modelFailures;

    /// <summary>Composes the analysis.</summary>
    /// <param name="classifier">The model slot's classifier, or <see langword="null"/> for the acoustic analysis alone.</param>
    public SegmentAnalyzer(
        IAcousticFeatureExtractor extractor,
        IEmotionEstimator estimator,
        IVocalEventDetector detector,
        IOptions<ParalinguisticsOptions> options,
        IAudioClassifier? classifier = null,
        ILogger<SegmentAnalyzer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        settings.Validate();
        _extractor = extractor;
        _estimator = estimator;
        _detector = detector;
        _classifier = classifier;
        _modelOptions = settings.Model;
        _maxSamples = settings.MaxAnalysisSeconds * SampleRate;
        _logger = logger ?? NullLogger<SegmentAnalyzer>.Instance;
    }

    /// <summary>Model runs that threw; the acoustic judgement was kept for those spans.</summary>
    public long ModelFailures => Interlocked.Read(ref _modelFailures);

    /// <summary>The emotion reported for spans that are not speech, or empty: neutral, with no confidence.</summary>
    public static EmotionEstimate NotJudged { get; } = new(EmotionLabel.Neutral, 0, 0, 0, [new EmotionScore(EmotionLabel.Neutral, 1)], "none");

    /// <inheritdoc />
    public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Emotion.SpeakerBaseline? speaker = null)
    {
        var duration = TimeSpan.FromSeconds((double)pcm16k.Length / SampleRate);
        if (pcm16k.IsEmpty)
        {
            return new SegmentAnalysis(start, duration, isSpeech, EmptyFeatures, NotJudged, []);
        }

        var analysedLength = Math.Min(pcm16k.Length, _maxSamples);
        var rented = ArrayPool<float>.Shared.Rent(analysedLength);
        try
        {
            // Head and tail halves for long spans; a plain copy otherwise (which is also where NaN becomes silence).
            var head = analysedLength / 2;
            var audio = rented.AsSpan(0, analysedLength);
            if (analysedLength == pcm16k.Length)
            {
                pcm16k.CopyTo(audio);
            }
            else
            {
                pcm16k[..head].CopyTo(audio);
                pcm16k[^(analysedLength - head)..].CopyTo(audio[head..]);
            }

            ReplaceNonFinite(audio);
            var features = FiniteGuard.Clean(_extractor.Extract(audio));
            var emotion = isSpeech ? _estimator.Estimate(features, speaker) : NotJudged;
            if (isSpeech && features.VoicedFraction > 0)
            {
                // After judging: a turn is compared with the caller's earlier turns, not with itself.
                speaker?.Observe(features);
            }

            IReadOnlyList<VocalEvent> events;
            if (analysedLength == pcm16k.Length)
            {
                events = _detector.Detect(audio, start, features);
            }
            else
            {
                var tailStart = start + TimeSpan.FromSeconds((double)(pcm16k.Length - (analysedLength - head)) / SampleRate);
                events = [.. _detector.Detect(audio[..head], start, features), .. _detector.Detect(audio[head..], tailStart, features)];
            }

            if (_classifier is not null)
            {
                (emotion, events) = ApplyModel(audio, start, duration, isSpeech, emotion, events);
            }

            return new SegmentAnalysis(start, duration, isSpeech, features, FiniteGuard.Clean(emotion), CleanEvents(events));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private (EmotionEstimate Emotion, IReadOnlyList<VocalEvent> Events) ApplyModel(
        ReadOnlySpan<float> audio, TimeSpan start, TimeSpan duration, bool isSpeech, EmotionEstimate emotion, IReadOnlyList<VocalEvent> events)
    {
        AudioClassification model;
        try
        {
            model = _classifier!.Classify(audio);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A model fault costs the span its model judgement, never the call: the acoustic result stands.
            var failures = Interlocked.Increment(ref _modelFailures);
            if ((failures & (failures - 1)) == 0)
            {
                LogModelFailure(_logger, _classifier!.Name, failures, e);
            }

            return (emotion, events);
        }

        var blendedEmotion = isSpeech ? ClassificationBlend.Emotion(emotion, model, _modelOptions, _classifier.Name) : emotion;
        return (blendedEmotion, ClassificationBlend.Events(events, model, _modelOptions, start, duration));
    }

    private static void ReplaceNonFinite(Span<float> audio)
    {
        foreach (ref var sample in audio)
        {
            if (!float.IsFinite(sample))
            {
                sample = 0;
            }
        }
    }

    private static VocalEvent[] CleanEvents(IReadOnlyList<VocalEvent> events) =>
        [.. events.Select(e => e with { Confidence = FiniteGuard.Unit(e.Confidence) }).OrderBy(e => e.Start)];

    // Logged at 1, 2, 4, 8, … failures: a broken model cannot flood the log.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Paralinguistics model {Name} failed ({Failures} failures so far); acoustic judgement kept")]
    private static partial void LogModelFailure(ILogger logger, string name, long failures, Exception exception);
}
