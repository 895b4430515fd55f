using StepAudio.Telephony.Inference.Paralinguistics.Emotion;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// Emotion from a trained <see cref="LinearModel"/> (task <c>emotion</c>; classes among neutral, happy, sad, angry,
/// frustrated) over <see cref="ModelFeatures"/>, with the caller's running baseline as the reference of the relative
/// measures. The label is the most probable class, <see cref="EmotionLabel.Ambiguous"/> when the top two are within
/// <see cref="AmbiguityMargin"/>; confidence is the top probability; <see cref="EmotionEstimate.Cues"/> names the
/// measures that drove it. Arousal and valence are read off the probabilities (angry and happy are activated, sad and
/// neutral calm; happy is positive, angry and sad negative), so consumers of the dimensions keep working. A caller not
/// heard yet (no baseline, or none of their turns in it) is judged by the model's <see cref="LinearModel.FirstTurn"/>
/// when it has one.
/// </summary>
public sealed class TrainedEmotionEstimator : IEmotionEstimator
{
    /// <summary>Top two probabilities closer than this are <see cref="EmotionLabel.Ambiguous"/>.</summary>
    public const double AmbiguityMargin = 0.05;

    private readonly LinearModel _model;
    private readonly EmotionLabel[] _labels;
    private readonly string _source;

    /// <summary>Wraps <paramref name="model"/>, reported as <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">Not an emotion model, or a class that is no emotion label.</exception>
    public TrainedEmotionEstimator(LinearModel model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Task != "emotion")
        {
            throw new InvalidDataException($"{source}: task '{model.Task}' is not emotion.");
        }

        _labels = [.. model.Classes.Select(c => Enum.TryParse<EmotionLabel>(c, ignoreCase: true, out var label) && label != EmotionLabel.Ambiguous
            ? label
            : throw new InvalidDataException($"{source}: class '{c}' is not an emotion label."))];
        _model = model;
        _source = source;
    }

    /// <summary>The label name the estimator reports for <paramref name="prediction"/> (a class, or <c>ambiguous</c>).</summary>
    public static string Decide(LinearModel model, LinearPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prediction);
        var sorted = prediction.Probabilities.OrderByDescending(p => p).ToArray();
        return sorted.Length > 1 && sorted[0] - sorted[1] < AmbiguityMargin ? "ambiguous" : model.Classes[prediction.Best];
    }

    /// <summary>
    /// The model that judges a turn after <paramref name="turnsHeard"/> of the caller's turns went into their baseline
    /// (<see cref="SpeakerBaseline.Spans"/>): the first-turn model while none has (the measures are then against the
    /// population's norms, <see cref="SpeakerBaseline.NormsFor"/>), else <paramref name="model"/> itself. The one rule
    /// for a call, <c>eval</c> and training's cross-validation.
    /// </summary>
    public static LinearModel For(LinearModel model, int turnsHeard)
    {
        ArgumentNullException.ThrowIfNull(model);
        return turnsHeard > 0 || model.FirstTurn is null ? model : model.FirstTurn;
    }

    /// <inheritdoc />
    public EmotionEstimate Estimate(AcousticFeatures features, SpeakerBaseline? speaker = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.DurationSeconds < 0.3 || features.VoicedFraction <= 0 || features.PitchMeanHz <= 0)
        {
            return new EmotionEstimate(EmotionLabel.Neutral, 0, 0, 0, [new EmotionScore(EmotionLabel.Neutral, 1)], _source);
        }

        var norms = SpeakerBaseline.NormsFor(speaker);
        Span<double> measures = stackalloc double[ModelFeatures.Names.Count];
        ModelFeatures.Compute(features, norms, measures);
        var model = For(_model, speaker?.Spans ?? 0);
        var prediction = model.Predict(measures);
        var p = prediction.Probabilities;
        double P(EmotionLabel label) => Array.IndexOf(_labels, label) is var i and >= 0 ? p[i] : 0;

        var scores = _labels.Select((label, i) => new EmotionScore(label, p[i])).OrderByDescending(s => s.Score).ToArray();
        var label = Decide(model, prediction) == "ambiguous" ? EmotionLabel.Ambiguous : _labels[prediction.Best];
        var arousal = P(EmotionLabel.Angry) + P(EmotionLabel.Happy) + (0.5 * P(EmotionLabel.Frustrated)) - P(EmotionLabel.Sad) - P(EmotionLabel.Neutral);
        var valence = P(EmotionLabel.Happy) - P(EmotionLabel.Angry) - P(EmotionLabel.Sad) - P(EmotionLabel.Frustrated);
        return new EmotionEstimate(label, scores[0].Score, arousal, valence, scores, _source) { Cues = prediction.Cues };
    }
}
