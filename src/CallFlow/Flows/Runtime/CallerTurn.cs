namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// What the caller did in one turn: one stretch of speech found by the voice activity detector, the keys pressed
/// since the previous turn, and what the analysis heard in it. The unit flows (and the conversation) decide on.
/// </summary>
/// <param name="Number">The turn's number in the call, from 1; events about the turn carry it.</param>
/// <param name="Start">Start of the speech, on the caller's audio clock.</param>
/// <param name="End">End of the speech, on the same clock.</param>
/// <param name="Keys">Keys pressed since the previous turn ended, in order.</param>
/// <param name="Analysis">Whether the analysis of the turn was finished when the flow looked.</param>
/// <param name="Emotion">How the caller sounded; null unless <paramref name="Analysis"/> is <see cref="TurnAnalysis.Done"/>.</param>
/// <param name="VocalEvents">Non-verbal sounds heard since the previous turn ended, up to this one's end.</param>
/// <param name="Text">What the caller said, once a recogniser transcribes turns; null until then.</param>
public sealed record CallerTurn(
    int Number,
    TimeSpan Start,
    TimeSpan End,
    string Keys,
    TurnAnalysis Analysis,
    TurnEmotion? Emotion,
    IReadOnlyList<TurnVocalEvent> VocalEvents,
    string? Text = null)
{
    /// <summary>How long the caller spoke.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>The emotion label in lower case as flows compare it: <c>unknown</c> while the analysis is not done.</summary>
    public string EmotionName => Emotion?.Label.ToLowerInvariant() ?? TurnEmotion.Unknown;
}
