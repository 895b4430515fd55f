using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.SipGateway.Calls.Analysis;

/// <summary>
/// Placeholder analyzer: every span is neutral with no vocal events and only its duration measured. Registered until
/// the composed acoustic analyzer is wired in; frustration then comes from behaviour (keys, prompts, barge-ins) only.
/// </summary>
internal sealed class NeutralSegmentAnalyzer : ISegmentAnalyzer
{
    private static readonly EmotionEstimate Neutral = new(EmotionLabel.Neutral, 0, 0, 0, [new EmotionScore(EmotionLabel.Neutral, 1)], "none");

    public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech)
    {
        var duration = TimeSpan.FromSeconds(pcm16k.Length / 16_000.0);
        var features = new AcousticFeatures(duration.TotalSeconds, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return new SegmentAnalysis(start, duration, isSpeech, features, Neutral, []);
    }
}
