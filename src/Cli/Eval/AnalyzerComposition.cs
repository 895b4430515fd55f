using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;
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

    private static (IAcousticFeatureExtractor, IEmotionEstimator, IVocalEventDetector) AcousticComponents() =>
        (new AcousticFeatureExtractor(), new AcousticEmotionEstimator(), new AcousticVocalEventDetector());
}
