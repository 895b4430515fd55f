using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Models;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>The one place the production analyzer is composed, so the gateway and the <c>eval</c> command measure the same thing.</summary>
public static class SegmentAnalyzers
{
    /// <summary>
    /// The explainable analyzers (features → emotion → vocal events): the trained models of
    /// <see cref="ParalinguisticsOptions.EmotionModel"/> and <see cref="ParalinguisticsOptions.VocalEventModel"/>
    /// (the shipped ones by default) or the hand-written rules, joined or replaced by the configured ONNX model when
    /// <see cref="ParalinguisticsOptions.Model"/> is enabled.
    /// </summary>
    /// <exception cref="FileNotFoundException">A configured model is missing.</exception>
    /// <exception cref="InvalidDataException">A configured trained model is not usable (the message says why).</exception>
    public static SegmentAnalyzer CreateDefault(ParalinguisticsOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var classifier = options.Model.Enabled
            ? new OnnxAudioClassifier(options.Model, loggerFactory.CreateLogger<OnnxAudioClassifier>())
            : null;
        // The hand-written emotion rules were tuned on full-band pitch; the trained models on telephone-band pitch.
        var rulesOnly = string.Equals(options.EmotionModel, ParalinguisticsOptions.RulesModel, StringComparison.OrdinalIgnoreCase);
        var eventModel = TrainedModels.Resolve(options.VocalEventModel, TrainedModels.BuiltinVocalEvents);
        return new SegmentAnalyzer(
            new AcousticFeatureExtractor(telephoneBandPitch: !rulesOnly, melCepstrum: ReadsMelCepstrum(eventModel)),
            CreateEmotionEstimator(options.EmotionModel),
            CreateVocalEventDetector(options.VocalEventModel, eventModel),
            Options.Create(options),
            classifier,
            loggerFactory.CreateLogger<SegmentAnalyzer>());
    }

    /// <summary>The emotion estimator <paramref name="setting"/> selects (<c>builtin</c>, <c>rules</c> or a model file).</summary>
    public static IEmotionEstimator CreateEmotionEstimator(string setting) =>
        TrainedModels.Resolve(setting, TrainedModels.BuiltinEmotion) is { } model
            ? new TrainedEmotionEstimator(model, ModelSource(setting, model))
            : new AcousticEmotionEstimator();

    /// <summary>The vocal-event detector <paramref name="setting"/> selects (<c>builtin</c>, <c>rules</c> or a model file).</summary>
    public static IVocalEventDetector CreateVocalEventDetector(string setting) =>
        CreateVocalEventDetector(setting, TrainedModels.Resolve(setting, TrainedModels.BuiltinVocalEvents));

    /// <summary>
    /// Whether a trained vocal-event model (<see langword="null"/>: the rules) reads a mel-cepstrum measure, so the
    /// extractor measures them only for a model that uses them (the emotion model never does).
    /// </summary>
    public static bool ReadsMelCepstrum(LinearModel? vocalEventModel) =>
        vocalEventModel is not null && vocalEventModel.Features.Any(ModelFeatures.MelCepstrumNames.Contains);

    /// <summary>The detector for an already resolved model, so composing the analyzer loads the model file once.</summary>
    private static IVocalEventDetector CreateVocalEventDetector(string setting, LinearModel? model) =>
        model is not null ? new TrainedVocalEventDetector(model, ModelSource(setting, model)) : new AcousticVocalEventDetector();

    private static string ModelSource(string setting, LinearModel model) =>
        string.Equals(setting, ParalinguisticsOptions.BuiltinModel, StringComparison.OrdinalIgnoreCase) ? $"trained:{model.Task}" : $"trained:{Path.GetFileName(setting)}";
}
