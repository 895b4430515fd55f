namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>How the caller sounded in one speech segment. Carries measures only: never audio or words.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the analysis finished (UTC).</param>
/// <param name="StartSeconds">Start of the segment on the caller's audio clock (as in <see cref="SpeechSegmentDetected"/>).</param>
/// <param name="EndSeconds">End of the segment on the same clock.</param>
/// <param name="Label">The winning label: <c>Neutral</c>, <c>Happy</c>, <c>Sad</c>, <c>Angry</c>, <c>Frustrated</c> or <c>Ambiguous</c>.</param>
/// <param name="Confidence">0–1; how far the winner is ahead of the runner-up.</param>
/// <param name="Arousal">Activation, −1 (calm) to +1 (excited).</param>
/// <param name="Valence">−1 (negative) to +1 (positive).</param>
/// <param name="Source">What produced it: <c>acoustic</c> for the built-in rules, or a configured model's name.</param>
/// <param name="TopScores">The highest label scores, highest first (at most three).</param>
/// <param name="Turn">The caller's turn whose speech was analysed (as in <see cref="SpeechSegmentDetected"/>); <see langword="null"/> from older gateways.</param>
/// <param name="Cues">The measures that drove a trained model's decision, strongest first (at most three); <see langword="null"/> from the hand rules and older gateways.</param>
/// <param name="WordsVoice">
/// What the caller's words said against how they sounded, a label and never the words: <c>consistent</c>,
/// <c>ambiguous_negative</c> (positive words in a negative voice) or <c>ambiguous_positive</c> (negative words said
/// cheerfully); <see langword="null"/> when no recogniser gave the turn words, the words carried no opinion, or from older gateways.
/// </param>
public sealed record EmotionDetected(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    double StartSeconds,
    double EndSeconds,
    string Label,
    double Confidence,
    double Arousal,
    double Valence,
    string Source,
    IReadOnlyList<LabelScore> TopScores,
    int? Turn = null,
    IReadOnlyList<AcousticCue>? Cues = null,
    string? WordsVoice = null) : ICallEvent;
