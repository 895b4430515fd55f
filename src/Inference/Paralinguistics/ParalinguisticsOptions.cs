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

    /// <summary>
    /// The trained emotion model: <c>builtin</c> (default: the model shipped in this assembly, trained on EmoDB, coloured
    /// copies and calls of it and English counting as neutral, through the telephone channel and wideband, reading the
    /// spectrum against the caller's own too, see README "Reading digits aloud" and "The caller's own colour"), a path
    /// to a <c>stepaudio train</c> model file, or <c>rules</c> for the hand-written acoustic rules.
    /// </summary>
    public string EmotionModel { get; set; } = BuiltinModel;

    /// <summary>The trained vocal-event model: <c>builtin</c> (default), a model file path, or <c>rules</c>.</summary>
    public string VocalEventModel { get; set; } = BuiltinModel;

    /// <summary>Value of <see cref="EmotionModel"/> / <see cref="VocalEventModel"/> that selects the shipped model.</summary>
    public const string BuiltinModel = "builtin";

    /// <summary>Value of <see cref="EmotionModel"/> / <see cref="VocalEventModel"/> that selects the hand-written rules.</summary>
    public const string RulesModel = "rules";

    /// <summary>Optional ONNX classifier that replaces or joins the acoustic judgement; disabled without a model path.</summary>
    public AudioClassifierOptions Model { get; set; } = new();

    /// <summary>Throws when a value is out of range, naming the key.</summary>
    public void Validate()
    {
        if (MaxAnalysisSeconds is < 1 or > 600)
        {
            throw new InvalidOperationException($"{SectionName}:{nameof(MaxAnalysisSeconds)} must be 1–600 (got {MaxAnalysisSeconds}).");
        }

        foreach (var (key, value) in new[] { (nameof(EmotionModel), EmotionModel), (nameof(VocalEventModel), VocalEventModel) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException($"{SectionName}:{key} must be '{BuiltinModel}', '{RulesModel}' or a model file path.");
            }
        }

        if (Model.Enabled)
        {
            Model.Validate();
        }
    }
}
