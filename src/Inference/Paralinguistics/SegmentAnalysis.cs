namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Everything the paralinguistic analysis says about one span of a call's audio.</summary>
/// <param name="Start">Offset of the span from the start of the call's audio.</param>
/// <param name="Duration">Length of the span.</param>
/// <param name="IsSpeech">Whether the VAD called the span speech (vocal sounds are often not speech).</param>
/// <param name="Features">The measures every judgement below is explained by.</param>
/// <param name="Emotion">The emotion estimate (speech spans; <see cref="EmotionLabel.Neutral"/> with 0 confidence otherwise).</param>
/// <param name="VocalEvents">Vocal sounds found in the span, in time order.</param>
public sealed record SegmentAnalysis(
    TimeSpan Start,
    TimeSpan Duration,
    bool IsSpeech,
    AcousticFeatures Features,
    EmotionEstimate Emotion,
    IReadOnlyList<VocalEvent> VocalEvents);
