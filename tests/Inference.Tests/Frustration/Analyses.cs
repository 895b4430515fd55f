using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Inference.Tests.Frustration;

/// <summary>Hand-made segment analyses: the tracker's input without running any analyzer.</summary>
internal static class Analyses
{
    public static SegmentAnalysis Speech(
        double startSeconds,
        EmotionLabel label = EmotionLabel.Neutral,
        double confidence = 0,
        double valence = 0,
        double energyDbfs = -30,
        params VocalEvent[] vocalEvents) =>
        new(
            TimeSpan.FromSeconds(startSeconds),
            TimeSpan.FromSeconds(1),
            IsSpeech: true,
            Features(energyDbfs),
            new EmotionEstimate(label, confidence, 0, valence, [new EmotionScore(label, confidence)], "test"),
            vocalEvents);

    public static SegmentAnalysis NonSpeech(double startSeconds, params VocalEvent[] vocalEvents) =>
        new(
            TimeSpan.FromSeconds(startSeconds),
            TimeSpan.FromSeconds(1),
            IsSpeech: false,
            Features(-45),
            new EmotionEstimate(EmotionLabel.Neutral, 0, 0, 0, [], "test"),
            vocalEvents);

    private static AcousticFeatures Features(double energyDbfs) =>
        new(1, 0.5, 150, 1, 3, 0, energyDbfs, 5, energyDbfs + 6, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);
}
