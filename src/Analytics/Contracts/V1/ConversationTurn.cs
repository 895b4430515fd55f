namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>
/// One model turn of a <c>converse</c> step: where the time went between the end of the caller's speech and the first
/// reply packet, who answered and how the turn ended. Carries timings and names only: never audio or words.
/// </summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the turn ended (UTC).</param>
/// <param name="Step">The <c>converse</c> step.</param>
/// <param name="Turn">The model turn's number within the step, from 1.</param>
/// <param name="Input">What the model was given of the caller's turn: <c>audio</c> or <c>text</c>.</param>
/// <param name="CallerSpeechEndSeconds">End of the caller's speech on the caller's audio clock.</param>
/// <param name="TurnDecidedSeconds">Seconds from the end of the caller's speech until the gateway decided the turn was over.</param>
/// <param name="RequestSentSeconds">Seconds from the end of the caller's speech until the request that answered was sent (less than <paramref name="TurnDecidedSeconds"/> when it was sent early, at a short pause).</param>
/// <param name="FirstTokenSeconds">Seconds from the end of the caller's speech until the first streamed token; null when none came.</param>
/// <param name="FirstReplyPacketSeconds">Seconds from the end of the caller's speech until the first packet of the reply was sent; null when nothing was played.</param>
/// <param name="Endpoint">The endpoint that answered (its configured name, never its key); null when none did.</param>
/// <param name="Attempts">Endpoints tried for this turn.</param>
/// <param name="Outcome"><c>replied</c>, <c>interrupted</c> (the caller spoke over the reply), <c>broken</c> (the reply broke off) or <c>failed</c> (no endpoint answered).</param>
/// <param name="HeardSeconds">How much of the reply the caller heard before it ended or was interrupted.</param>
/// <param name="FillerPlayed">Whether a filler was played because the first reply packet was late.</param>
/// <param name="Action">The action the model took: <c>goto_step</c>, <c>transfer</c>, <c>hangup</c>, <c>set_variable</c>, <c>send_dtmf</c>; null for none.</param>
/// <param name="EarlyRequest">Whether the reply came from the request sent early, at a short pause in the caller's speech (then <paramref name="RequestSentSeconds"/> is less than <paramref name="TurnDecidedSeconds"/>).</param>
public sealed record ConversationTurn(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    string Step,
    int Turn,
    string Input,
    double CallerSpeechEndSeconds,
    double TurnDecidedSeconds,
    double RequestSentSeconds,
    double? FirstTokenSeconds,
    double? FirstReplyPacketSeconds,
    string? Endpoint,
    int Attempts,
    string Outcome,
    double HeardSeconds,
    bool FillerPlayed,
    string? Action,
    bool EarlyRequest = false) : ICallEvent;
