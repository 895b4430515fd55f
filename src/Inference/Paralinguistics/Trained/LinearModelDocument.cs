using System.Text.Json.Serialization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// The JSON file a trained model is kept in (written by <c>stepaudio train</c>, read by <see cref="LinearModel"/>):
/// a multinomial logistic regression over standardised <see cref="ModelFeatures"/> (format <see cref="CurrentFormat"/>),
/// or boosted trees over the raw measures (format <see cref="TreeFormat"/>: <see cref="Trees"/>, no weights), with
/// where it came from.
/// </summary>
public sealed class LinearModelDocument
{
    /// <summary>The only format this code reads.</summary>
    public const string CurrentFormat = "stepaudio-linear-v1";

    /// <summary>The format of a tree-ensemble model.</summary>
    public const string TreeFormat = "stepaudio-trees-v1";

    /// <summary><see cref="CurrentFormat"/> or <see cref="TreeFormat"/>.</summary>
    [JsonPropertyName("format")]
    public string Format { get; set; } = CurrentFormat;

    /// <summary><c>emotion</c> or <c>vocal_event</c>.</summary>
    [JsonPropertyName("task")]
    public string Task { get; set; } = "";

    /// <summary>Class names (eval's folder names: <c>angry</c>, <c>laugh</c>, <c>none</c>, …).</summary>
    [JsonPropertyName("classes")]
    public IList<string> Classes { get; init; } = [];

    /// <summary>Input measures with the training set's mean and standard deviation.</summary>
    [JsonPropertyName("features")]
    public IList<LinearModelFeature> Features { get; init; } = [];

    /// <summary>One row of weights per class, one weight per feature (on standardised values).</summary>
    [JsonPropertyName("weights")]
    public IList<IList<double>> Weights { get; init; } = [];

    /// <summary>One bias per class.</summary>
    [JsonPropertyName("biases")]
    public IList<double> Biases { get; init; } = [];

    /// <summary><see cref="TreeFormat"/> only: the trees (the features' mean and std are then 0 and 1: trees read raw values).</summary>
    [JsonPropertyName("trees")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TreeEnsembleDocument? Trees { get; set; }

    /// <summary>
    /// Vocal events only: the probability an event class needs to be reported, chosen by <c>stepaudio train</c> so that
    /// speech raises few false alarms (cross-validated; see the provenance). Absent: the detector's default.
    /// </summary>
    [JsonPropertyName("min_event_probability")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MinEventProbability { get; set; }

    /// <summary>
    /// Emotion only, optional: the model for a caller not heard yet, whose turn has no running baseline to be judged
    /// against (a call's first turn, a clip of an unknown speaker). It is trained on every clip measured against the
    /// population's norms, so its caller-relative measures are what such a turn really has; the outer model judges
    /// every later turn. Same task and classes; it has no <see cref="FirstTurn"/> of its own.
    /// </summary>
    [JsonPropertyName("first_turn")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinearModelDocument? FirstTurn { get; set; }

    /// <summary>Data, command, date and cross-validated figures of the training run.</summary>
    [JsonPropertyName("provenance")]
    public IDictionary<string, object> Provenance { get; init; } = new Dictionary<string, object>();
}
