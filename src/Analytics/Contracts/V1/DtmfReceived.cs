namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>The caller pressed a key: one DTMF digit, reported once when the key was released.</summary>
/// <param name="EventId">Unique id of this event.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Position within the call.</param>
/// <param name="Timestamp">When the gateway learned the key press was over (UTC).</param>
/// <param name="Digit">The key: one of 0–9, *, #, A–D. May be personal data: keys can spell an account number or PIN (docs/events.md, Privacy).</param>
/// <param name="DurationSeconds">How long the key was held, as the caller's equipment reported it.</param>
/// <param name="Source">
/// How the digit arrived: <c>rfc4733</c> (RTP telephone-event), <c>sip-info</c> (SIP INFO) or <c>inband</c> (tones in
/// the audio). A call's digits all come from the first source it used, so one key press is never reported twice.
/// </param>
public sealed record DtmfReceived(
    Guid EventId,
    string CallId,
    long Sequence,
    DateTimeOffset Timestamp,
    string Digit,
    double DurationSeconds,
    string Source) : ICallEvent;
