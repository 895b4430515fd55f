namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>The caller made a non-verbal vocal sound (a sigh, a laugh, …).</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the analysis finished (UTC).</param>
/// <param name="Kind"><c>Sigh</c>, <c>Laugh</c>, <c>Gasp</c>, <c>ThroatClear</c>, <c>Cough</c> or <c>Crying</c>.</param>
/// <param name="StartSeconds">Start of the sound on the caller's audio clock.</param>
/// <param name="DurationSeconds">How long it lasted.</param>
/// <param name="Confidence">0–1.</param>
/// <param name="InSpeech">Whether it was found inside a speech segment (otherwise in a non-speech span).</param>
/// <param name="Turn">The caller's turn the sound belongs to: the turn it was heard in, or for a sound between turns the next turn to close; <see langword="null"/> from older gateways.</param>
/// <param name="Cues">The measures that drove a trained model's decision, strongest first (at most three); <see langword="null"/> from the hand rules and older gateways.</param>
public sealed record VocalEventDetected(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    string Kind,
    double StartSeconds,
    double DurationSeconds,
    double Confidence,
    bool InSpeech,
    int? Turn = null,
    IReadOnlyList<AcousticCue>? Cues = null) : ICallEvent;
