namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>One cue behind a frustration score, with what it still adds to the score.</summary>
/// <param name="Cue">
/// <c>negative-emotion</c>, <c>raised-loudness</c>, <c>vocal-event</c>, <c>dtmf-repeat</c>, <c>dtmf-mash</c>,
/// <c>repeated-prompt</c>, <c>barge-in</c> or <c>silence-after-prompt</c>.
/// </param>
/// <param name="Contribution">What the cue adds to the score now (after decay).</param>
/// <param name="AtSeconds">When it was observed, seconds into the call's audio.</param>
/// <param name="Detail">A short explanation, for example <c>Angry 0.80</c> or <c>key 0 x3</c>.</param>
public sealed record FrustrationReason(string Cue, double Contribution, double AtSeconds, string Detail);
