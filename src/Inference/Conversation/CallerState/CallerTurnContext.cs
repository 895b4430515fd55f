using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.Inference.Conversation.CallerState;

/// <summary>
/// The live read of how the caller sounds for one turn, as the model gets it beside the turn itself. Every figure
/// comes with the cues that produced it, so the model (and whoever reads its context) can see why.
/// </summary>
/// <param name="Turn">The caller turn's number in the call, from 1.</param>
/// <param name="Duration">How long the caller spoke.</param>
/// <param name="Emotion">Emotion label in lower case; <c>unknown</c> when the analysis was not ready in time.</param>
/// <param name="EmotionConfidence">0–1.</param>
/// <param name="Arousal">−1 (calm) to +1 (excited).</param>
/// <param name="Valence">−1 (negative) to +1 (positive).</param>
/// <param name="EmotionCues">The strongest measured cues behind the label, in words (<c>pitch 2.1 SD above their baseline</c>).</param>
/// <param name="Frustration">The frustration score now, 0–1.</param>
/// <param name="PreviousFrustration">The score at the previous caller turn (0 before the first).</param>
/// <param name="FrustrationLevel">The band's name (<c>calm</c>, <c>elevated</c>, <c>high</c>).</param>
/// <param name="FrustrationReasons">Largest current contributions (<c>barge-in +0.15</c>).</param>
/// <param name="VocalEvents">Sighs, laughs and the like in the turn.</param>
/// <param name="InterruptedReply">Whether this turn began by talking over the reply.</param>
/// <param name="Interruptions">Interruptions so far in the conversation.</param>
/// <param name="Keys">Keys the caller pressed during the turn, in order (empty for none).</param>
/// <param name="WordsVoice">Words against voice, when the turn has words.</param>
public sealed record CallerTurnContext(
    int Turn,
    TimeSpan Duration,
    string Emotion,
    double EmotionConfidence,
    double Arousal,
    double Valence,
    IReadOnlyList<string> EmotionCues,
    double Frustration,
    double PreviousFrustration,
    string FrustrationLevel,
    IReadOnlyList<string> FrustrationReasons,
    IReadOnlyList<CallerVocalEvent> VocalEvents,
    bool InterruptedReply,
    int Interruptions,
    string Keys,
    WordsVoiceAgreement? WordsVoice);
