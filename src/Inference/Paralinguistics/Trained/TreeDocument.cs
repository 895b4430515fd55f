using System.Text.Json.Serialization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>
/// One regression tree as ML.NET's FastTree stores it: internal node <c>n</c> sends a span left when feature
/// <c>split_feature[n]</c> (an index into <see cref="LinearModelDocument.Features"/>, compared as a 32-bit float) is
/// at most <c>threshold[n]</c>, right otherwise. A child that is zero or positive is an internal node; a negative child
/// <c>c</c> is leaf <c>~c</c> (−1 is leaf 0). Node 0 is the root; a tree with no internal node is its single leaf.
/// </summary>
public sealed class TreeDocument
{
    /// <summary>Multiplies the tree's leaf value in the sum.</summary>
    [JsonPropertyName("weight")]
    public double Weight { get; set; } = 1;

    /// <summary>Per internal node: the feature it splits on.</summary>
    [JsonPropertyName("split_feature")]
    public IList<int> SplitFeature { get; init; } = [];

    /// <summary>Per internal node: the split's threshold (left when value ≤ threshold).</summary>
    [JsonPropertyName("threshold")]
    public IList<double> Threshold { get; init; } = [];

    /// <summary>Per internal node: the child taken when value ≤ threshold.</summary>
    [JsonPropertyName("left")]
    public IList<int> Left { get; init; } = [];

    /// <summary>Per internal node: the child taken otherwise.</summary>
    [JsonPropertyName("right")]
    public IList<int> Right { get; init; } = [];

    /// <summary>Per leaf: the value it adds (learning rate applied).</summary>
    [JsonPropertyName("leaf_values")]
    public IList<double> LeafValues { get; init; } = [];
}
