using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>The folder names <c>eval</c> understands, and how an analysis maps onto them.</summary>
public static class EvalLabels
{
    /// <summary>Emotion task labels (folders), in report order.</summary>
    public static IReadOnlyList<string> Emotions { get; } = ["neutral", "happy", "sad", "angry", "frustrated"];

    /// <summary>Vocal-event task labels (folders), in report order; <c>none</c> = no vocal event.</summary>
    public static IReadOnlyList<string> VocalEvents { get; } = ["sigh", "laugh", "gasp", "throat_clear", "cough", "crying", "none"];

    /// <summary>The folder-style name of an emotion label (<c>ambiguous</c> is a prediction only).</summary>
    public static string Name(EmotionLabel label) => label.ToString().ToLowerInvariant();

    /// <summary>The folder-style name of a vocal-event kind (<c>ThroatClear</c> → <c>throat_clear</c>).</summary>
    public static string Name(VocalEventKind kind) => kind == VocalEventKind.ThroatClear ? "throat_clear" : kind.ToString().ToLowerInvariant();

    /// <summary>The vocal-event prediction: the most confident event's kind, or <c>none</c>.</summary>
    public static string VocalEventPrediction(SegmentAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.VocalEvents.Count == 0 ? "none" : Name(analysis.VocalEvents.MaxBy(e => e.Confidence)!.Kind);
    }
}
