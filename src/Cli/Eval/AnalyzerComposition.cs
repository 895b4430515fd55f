using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>Builds the analyzer <c>eval</c> measures: the gateway's own composition, model slot included when configured.</summary>
public static class AnalyzerComposition
{
    /// <summary>Composes a <see cref="SegmentAnalyzer"/> from <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">A configured model is missing.</exception>
    public static SegmentAnalyzer Create(ParalinguisticsOptions options) => SegmentAnalyzers.CreateDefault(options);
}
