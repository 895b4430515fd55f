using System.Text.Json.Serialization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>One input of a <see cref="LinearModelDocument"/>: a <see cref="ModelFeatures"/> name and its standardisation.</summary>
public sealed class LinearModelFeature
{
    /// <summary>A name from <see cref="ModelFeatures.Names"/>.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Training-set mean.</summary>
    [JsonPropertyName("mean")]
    public double Mean { get; set; }

    /// <summary>Training-set standard deviation (&gt; 0).</summary>
    [JsonPropertyName("std")]
    public double Std { get; set; } = 1;
}
