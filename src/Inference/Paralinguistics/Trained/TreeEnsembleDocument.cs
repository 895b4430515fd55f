using System.Text.Json.Serialization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// The trees of a <see cref="LinearModelDocument"/> in format <see cref="LinearModelDocument.TreeFormat"/>: ML.NET's
/// one-versus-all over boosted binary trees (FastTree), as ML.NET applies them. Each class's raw score is its bias
/// plus the sum of its trees' weighted leaf values (the learning rate is already folded into the leaves); its
/// probability is Platt's 1 / (1 + exp(slope·score + offset)); the class probabilities are then clamped at zero and
/// divided by their sum (ML.NET's <c>OneVersusAllModelParameters</c> probability normalisation).
/// </summary>
public sealed class TreeEnsembleDocument
{
    /// <summary>The only combination this code runs: <c>one_vs_all_platt</c>.</summary>
    public const string OneVersusAllPlatt = "one_vs_all_platt";

    /// <summary>
    /// Two stages: the part of class <see cref="GateClass"/> (<c>none</c>) is a binary model of "no event" against
    /// every event, the other parts are one-versus-all among the events only (trained on event clips alone). The gate
    /// class's probability is its Platt output; an event class's is (1 − that) times its Platt output divided by the
    /// sum over the event classes (clamped at zero, as above).
    /// </summary>
    public const string EventGatePlatt = "event_gate_platt";

    /// <summary><see cref="OneVersusAllPlatt"/> or <see cref="EventGatePlatt"/>.</summary>
    [JsonPropertyName("output")]
    public string Output { get; set; } = OneVersusAllPlatt;

    /// <summary>With <see cref="EventGatePlatt"/>: the index of the gate class (<c>none</c>) in the classes.</summary>
    [JsonPropertyName("gate_class")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? GateClass { get; set; }

    /// <summary>One binary ensemble per class, in <see cref="LinearModelDocument.Classes"/> order.</summary>
    [JsonPropertyName("classes")]
    public IList<TreeClassDocument> Classes { get; init; } = [];
}
