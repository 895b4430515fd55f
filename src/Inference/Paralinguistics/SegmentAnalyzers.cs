using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Models;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>The one place the production analyzer is composed, so the gateway and the <c>eval</c> command measure the same thing.</summary>
public static class SegmentAnalyzers
{
    /// <summary>
    /// The explainable acoustic analyzers (features → emotion → vocal events), joined or replaced by the configured
    /// ONNX model when <see cref="ParalinguisticsOptions.Model"/> is enabled.
    /// </summary>
    /// <exception cref="FileNotFoundException">A configured model is missing.</exception>
    public static SegmentAnalyzer CreateDefault(ParalinguisticsOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var classifier = options.Model.Enabled
            ? new OnnxAudioClassifier(options.Model, loggerFactory.CreateLogger<OnnxAudioClassifier>())
            : null;
        return new SegmentAnalyzer(
            new AcousticFeatureExtractor(),
            new AcousticEmotionEstimator(),
            new AcousticVocalEventDetector(),
            Options.Create(options),
            classifier,
            loggerFactory.CreateLogger<SegmentAnalyzer>());
    }
}
