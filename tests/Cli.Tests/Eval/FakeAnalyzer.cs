using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Tests.Eval;

/// <summary>
/// Predicts from the first sample: round(10 · x) picks the emotion (0–4 in enum order, 5 = ambiguous) or the vocal
/// event (0–5 in enum order, anything else = none). With <paramref name="constant"/> it ignores the audio and says
/// neutral / no event. Records every span's length.
/// </summary>
internal sealed class FakeAnalyzer(bool constant = false) : ISegmentAnalyzer
{
    private static readonly AcousticFeatures Features = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public List<int> Lengths { get; } = [];

    /// <summary>The lengths of the speech spans alone (non-speech ones arrive cut to their sound).</summary>
    public List<int> SpeechLengths { get; } = [];

    public SegmentAnalysis Analyze(ReadOnlySpan<float> pcm16k, TimeSpan start, bool isSpeech, Inference.Paralinguistics.Emotion.SpeakerBaseline? speaker = null)
    {
        Lengths.Add(pcm16k.Length);
        if (isSpeech)
        {
            SpeechLengths.Add(pcm16k.Length);
        }

        var code = constant || pcm16k.IsEmpty ? -1 : (int)Math.Round(pcm16k[0] * 10);
        var emotion = code is >= 0 and <= 5 ? (EmotionLabel)code : EmotionLabel.Neutral;
        IReadOnlyList<VocalEvent> events = code is >= 0 and <= 5
            ? [new VocalEvent((VocalEventKind)code, start, TimeSpan.FromMilliseconds(300), 0.9)]
            : [];
        var estimate = new EmotionEstimate(emotion, 0.5, 0, 0, [new EmotionScore(emotion, 1)], "fake");
        return new SegmentAnalysis(start, TimeSpan.Zero, isSpeech, Features, estimate, events);
    }
}
