using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>Builds the analyzer <c>eval</c> measures: the production composition, model slot included when configured.</summary>
public static class AnalyzerComposition
{
    /// <summary>Composes a <see cref="SegmentAnalyzer"/> from <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">A configured model is missing.</exception>
    public static SegmentAnalyzer Create(ParalinguisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (extractor, estimator, detector) = AcousticComponents();
        var classifier = options.Model.Enabled ? new OnnxAudioClassifier(options.Model) : null;
        return new SegmentAnalyzer(extractor, estimator, detector, Options.Create(options), classifier);
    }

    // MERGE HOOK (issue 6): the acoustic feature extractor, emotion estimator and vocal-event detector are built on a
    // parallel branch; the merge replaces this body with their constructors.
    private static (IAcousticFeatureExtractor, IEmotionEstimator, IVocalEventDetector) AcousticComponents() =>
        throw new InvalidOperationException("This build has no acoustic feature extractor, emotion estimator or vocal-event detector yet.");
}
