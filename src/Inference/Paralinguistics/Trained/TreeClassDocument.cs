using System.Text.Json.Serialization;

namespace StepAudio.Telephony.Inference.Paralinguistics.Trained;

/// <summary>One class's boosted binary trees (class against the rest) and the Platt calibration of their score.</summary>
public sealed class TreeClassDocument
{
    /// <summary>Added to the trees' sum.</summary>
    [JsonPropertyName("bias")]
    public double Bias { get; set; }

    /// <summary>Platt slope: probability = 1 / (1 + exp(slope·score + offset)).</summary>
    [JsonPropertyName("platt_slope")]
    public double PlattSlope { get; set; }

    /// <summary>Platt offset.</summary>
    [JsonPropertyName("platt_offset")]
    public double PlattOffset { get; set; }

    /// <summary>The trees, summed.</summary>
    [JsonPropertyName("trees")]
    public IList<TreeDocument> Trees { get; init; } = [];
}
