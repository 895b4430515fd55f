using StepAudio.Telephony.Inference.Paralinguistics.Emotion;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// Vocal events from a trained <see cref="LinearModel"/> (task <c>vocal_event</c>; classes among sigh, laugh, gasp,
/// throat_clear, cough, crying and <c>none</c>) over the span's <see cref="ModelFeatures"/>. The span is judged whole:
/// the gateway hands non-speech sounds over as spans of their own (120 ms – 3 s). An event is reported when an event
/// class is the most probable and reaches the model's <see cref="LinearModelDocument.MinEventProbability"/> (calibrated
/// against false alarms on speech when the model was trained; <see cref="MinimumProbability"/> when absent); it covers the span, with the class
/// probability as confidence and the measures that drove it in <see cref="VocalEvent.Cues"/>.
/// </summary>
public sealed class TrainedVocalEventDetector : IVocalEventDetector
{
    /// <summary>Below this probability the winning event class is not reported, unless the model names its own threshold.</summary>
    public const double MinimumProbability = 0.6;

    private const double ShortestSeconds = 0.1;

    private readonly LinearModel _model;
    private readonly VocalEventKind?[] _kinds;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">Not a vocal-event model, or a class that is no event kind nor <c>none</c>.</exception>
    public TrainedVocalEventDetector(LinearModel model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Task != "vocal_event")
        {
            throw new InvalidDataException($"{source}: task '{model.Task}' is not vocal_event.");
        }

        _kinds = [.. model.Classes.Select(c => c == "none" ? (VocalEventKind?)null
            : Enum.TryParse<VocalEventKind>(c.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var kind) ? kind
            : throw new InvalidDataException($"{source}: class '{c}' is not a vocal event nor none."))];
        _model = model;
    }

    /// <summary>The class name the detector reports for <paramref name="prediction"/>: an event class, or <c>none</c>.</summary>
    public static string Decide(LinearModel model, LinearPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prediction);
        return Decide(model.Classes, prediction, model.Document.MinEventProbability ?? MinimumProbability);
    }

    /// <summary>The class reported for <paramref name="prediction"/> when events need <paramref name="threshold"/>.</summary>
    public static string Decide(IReadOnlyList<string> classes, LinearPrediction prediction, double threshold)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction.Probabilities[prediction.Best] >= threshold ? classes[prediction.Best] : "none";
    }

    /// <inheritdoc />
    public IReadOnlyList<VocalEvent> Detect(ReadOnlySpan<float> pcm16k, TimeSpan start, AcousticFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.DurationSeconds < ShortestSeconds || features.EnergyPeakDbfs <= Features.FrameTracks.FloorDb)
        {
            return [];
        }

        Span<double> measures = stackalloc double[ModelFeatures.Names.Count];
        ModelFeatures.Compute(features, EmotionNorms.TelephoneSpeech, measures);
        var prediction = _model.Predict(measures);
        var kind = _kinds[prediction.Best];
        var probability = prediction.Probabilities[prediction.Best];
        if (kind is null || Decide(_model, prediction) == "none")
        {
            return [];
        }

        return [new VocalEvent(kind.Value, start, TimeSpan.FromSeconds(features.DurationSeconds), probability) { Cues = prediction.Cues }];
    }
}
