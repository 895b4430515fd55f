using StepAudio.Telephony.Inference.Paralinguistics.Models;

namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Configuration of the paralinguistic analysis (section <c>Paralinguistics</c>).</summary>
public sealed class ParalinguisticsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Paralinguistics";

    /// <summary>
    /// Longest audio one analysis looks at. A longer span is analysed on its first and last halves of this length,
    /// joined: the opening and the ending of a long turn carry its emotion, and the cost of one analysis stays bounded
    /// whatever the VAD hands over.
    /// </summary>
    public int MaxAnalysisSeconds { get; set; } = 30;

    /// <summary>Optional ONNX classifier that replaces or joins the acoustic judgement; disabled without a model path.</summary>
    public AudioClassifierOptions Model { get; set; } = new();

    /// <summary>Throws when a value is out of range, naming the key.</summary>
    public void Validate()
    {
        if (MaxAnalysisSeconds is < 1 or > 600)
        {
            throw new InvalidOperationException($"{SectionName}:{nameof(MaxAnalysisSeconds)} must be 1–600 (got {MaxAnalysisSeconds}).");
        }

        if (Model.Enabled)
        {
            Model.Validate();
        }
    }
}
